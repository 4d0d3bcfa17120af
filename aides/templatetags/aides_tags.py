from django import template

from aides import references
from guichet.text import markdown_sur

register = template.Library()


@register.filter
def avec_liens(texte):
    """Plain text whose ``[[slug]]`` references become links with the aid's name."""
    return references.en_html(texte)


@register.filter
def markdown_liens(texte):
    """Staff Markdown with aid references as links, sanitised."""
    return markdown_sur(references.en_markdown(texte))
