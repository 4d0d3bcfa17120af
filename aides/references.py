"""Cross-references between aids in staff text: ``[[slug]]`` becomes a link with the aid's name.

A slug never shows in prose: a reference to an aid that is not published (or no longer
exists) is rendered as its name without a link, or dropped to a neutral wording.
"""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from guichet.cache import garde
from guichet.publication import StatutPublication

REFERENCE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")
SANS_TITRE = "une autre aide du catalogue"


def slugs_cites(texte: str) -> set[str]:
    return set(REFERENCE.findall(texte or ""))


def _cibles(slugs: set[str]) -> dict[str, tuple[str, str | None]]:
    """slug -> (title, URL or None when the aid is not published)."""
    if not slugs:
        return {}
    return _cibles_connues(frozenset(slugs))


@garde("options", "aides")
def _cibles_connues(slugs: frozenset[str]) -> dict[str, tuple[str, str | None]]:
    # An aid page shows up to six texts with references: looked up once per content version.
    from aides.models import Aide

    return {
        aide.slug: (
            aide.titre,
            aide.get_absolute_url()
            if aide.statut_publication == StatutPublication.PUBLIEE
            else None,
        )
        for aide in Aide.objects.filter(slug__in=slugs).only(
            "slug", "nom", "sigle", "statut_publication"
        )
    }


def en_markdown(texte: str) -> str:
    """References as Markdown links, before the Markdown renderer (which sanitises)."""
    cibles = _cibles(slugs_cites(texte))

    def lien(m):
        titre, url = cibles.get(m.group(1), (SANS_TITRE, None))
        titre = titre.replace("[", "(").replace("]", ")")
        return f"[{titre}]({url})" if url else titre

    return REFERENCE.sub(lien, texte or "")


def en_html(texte: str):
    """Plain staff text, escaped, with its references as HTML links."""
    texte = texte or ""
    cibles = _cibles(slugs_cites(texte))
    morceaux, position = [], 0
    for m in REFERENCE.finditer(texte):
        morceaux.append(conditional_escape(texte[position : m.start()]))
        titre, url = cibles.get(m.group(1), (SANS_TITRE, None))
        morceaux.append(format_html('<a href="{}">{}</a>', url, titre) if url else titre)
        position = m.end()
    morceaux.append(conditional_escape(texte[position:]))
    return mark_safe("".join(str(conditional_escape(m)) for m in morceaux))  # noqa: S308
