"""The ``date`` filter of every template (a builtin, see TEMPLATES in settings): Django's,
with the French ordinal "1er" on the first of the month ("mardi 1er décembre 2026")."""

from django import template
from django.template import defaultfilters

from guichet.grammaire import format_de_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if value in (None, ""):
        return ""
    return defaultfilters.date(value, format_de_date(value, arg))
