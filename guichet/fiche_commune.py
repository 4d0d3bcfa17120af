"""The commune page gathers what each app knows about a commune.

The core never imports an app: each app registers a section (a function returning a
``Section`` or None) from its ``AppConfig.ready``, the same way search sources register.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from guichet.models import Commune


@dataclass
class Section:
    ordre: int
    titre: str
    template: str
    contexte: dict = field(default_factory=dict)
    ancre: str = ""
    html: str = ""  # rendered in advance by ``garder``: the page prints it as is


SECTIONS: list[Callable[[Commune], Section | None]] = []


def section(fonction):
    if fonction not in SECTIONS:
        SECTIONS.append(fonction)
    return fonction


def sections_pour(commune: Commune) -> list[Section]:
    resultat = [s for s in (f(commune) for f in SECTIONS) if s is not None]
    return sorted(resultat, key=lambda s: s.ordre)


def rendre(section: Section) -> Section:
    """Render the section in advance to keep it: its template gets only its context and the
    ARS's name, never the request (no token, no nonce, nothing of the user), so the HTML can be
    shown to anyone."""
    contexte = {"section": section.contexte, "ARS_NOM": settings.ARS_NOM}
    html = render_to_string(section.template, contexte)
    section.html, section.contexte = mark_safe(html), {}  # noqa: S308 - escaped above
    return section


def garder(espace, cle, construire: Callable[[], Section | None]) -> Section | None:
    """The section kept in ``espace`` (a per-version memory, guichet.cache),
    built and rendered once (``rendre``)."""
    gardee = espace.get(cle)
    if gardee is None:
        section = construire()
        gardee = (rendre(section) if section is not None else None,)
        espace.set(cle, gardee)
    return gardee[0]
