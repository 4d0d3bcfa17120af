from django import template

from guichet.text import markdown_sur

register = template.Library()


@register.filter
def markdown(texte):
    """Staff Markdown rendered and sanitised (nh3)."""
    return markdown_sur(texte)
