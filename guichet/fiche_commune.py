"""The commune page gathers what each app knows about a commune.

The core never imports an app: each app registers a section (a function returning a
``Section`` or None) from its ``AppConfig.ready``, the same way search sources register.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from guichet.models import Commune


@dataclass
class Section:
    ordre: int
    titre: str
    template: str
    contexte: dict = field(default_factory=dict)
    ancre: str = ""


SECTIONS: list[Callable[[Commune], Section | None]] = []


def section(fonction):
    if fonction not in SECTIONS:
        SECTIONS.append(fonction)
    return fonction


def sections_pour(commune: Commune) -> list[Section]:
    resultat = [s for s in (f(commune) for f in SECTIONS) if s is not None]
    return sorted(resultat, key=lambda s: s.ordre)
