"""Where to go next from a page about a profession in a place (the simulator's result, a
parcours): links other apps add, such as the matching opportunities. The core never imports
them: each app registers its functions from its module ``suites`` (guichet.apps.REGISTRES).

A function gets the profession and what the page knows of the place (a commune, else a
département, else nothing) and returns a ``Suite`` or None; it reads the database in a fixed
number of queries (a count, never one query per row), so that the pages stay constant.
"""

from collections.abc import Callable
from dataclasses import dataclass

from guichet.models import Commune, Departement


@dataclass(frozen=True)
class Suite:
    ordre: int
    titre: str  # the link's text
    url: str
    precision: str = ""  # said after the link ("3 annonces publiées")


SUITES: list[Callable[..., Suite | None]] = []


def suite(fonction):
    if fonction not in SUITES:
        SUITES.append(fonction)
    return fonction


def suites_pour(
    *, profession: str, commune: Commune | None = None, departement: Departement | None = None
) -> list[Suite]:
    """The links every app offers for this profession and place, in their order."""
    if commune is not None:
        departement = None  # the commune says more; a function needs only one of them
    trouvees = (f(profession=profession, commune=commune, departement=departement) for f in SUITES)
    return sorted((s for s in trouvees if s is not None), key=lambda s: s.ordre)
