from django import template

from guichet.text import euros as format_euros
from guichet.text import markdown_sur

register = template.Library()


@register.filter
def markdown(texte):
    """Staff Markdown rendered and sanitised (nh3)."""
    return markdown_sur(texte)


@register.filter
def euros(valeur):
    return "" if valeur in (None, "") else format_euros(valeur)


@register.filter
def nombre(valeur):
    """An integer the French way: 59 854 (narrow no-break space between thousands)."""
    if valeur in (None, ""):
        return ""
    return f"{int(valeur):,}".replace(",", "\u202f")
