"""What pages keep between requests, keyed on the version of the content they show.

PostgreSQL sets a counter (``VersionContenu``) on every statement that writes one of the
tables of a content area (migrations aides 0003, installation 0009): an admin save, an import,
a publication status change, a bulk update from a shell. A page reads the counter first (one
query), then looks its fragments up under that counter and today's date: a write makes every
older fragment unreachable, and the date in the key means time-dependent content (an aid closed
since yesterday, "ends soon") is rendered again each day.

Reading the counter before the content matters: a fragment built from content newer than its
counter is only ever a spare copy (the next read finds a higher counter), never a stale one.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

from guichet import memoire
from guichet.versions import versions

_memoire: dict = {}  # (zone, space) → (version and day, fragments)
_A_CHAQUE_VERSION: dict[str, list[Callable]] = {}


def a_chaque_version(zone: str, oublier: Callable) -> None:
    """Call ``oublier`` in this process when it first sees a new version of the zone (option
    lists kept a minute in the process, which a cached form would otherwise carry along)."""
    _A_CHAQUE_VERSION.setdefault(zone, []).append(oublier)


class Fragments:
    """Fragments of one content version and one day, kept in this process.

    ``Fragments.pour("aides")`` reads the counter (one query); ``espace(nom, taille)`` gives
    the fragments of one kind under the same counter, at most ``taille`` of them.
    """

    def __init__(self, zones: tuple[str, ...], cle: tuple):
        self.zones, self.cle = zones, cle

    @classmethod
    def pour(cls, *zones: str, jour: datetime.date | None = None) -> "Fragments":
        """Under the counters of one or several areas (a page showing both aids and steps)."""
        cle = (versions(*zones), jour or timezone.localdate())
        if _memoire.get((zones, None)) != cle:
            for zone in zones:
                for oublier in _A_CHAQUE_VERSION.get(zone, []):
                    oublier()
            _memoire[(zones, None)] = cle
        return cls(zones, cle)

    def espace(self, nom: str, taille: int) -> "Espace":
        courante, fragments = _memoire.get((self.zones, nom), (None, None))
        if courante != self.cle:
            fragments = {}
            _memoire[(self.zones, nom)] = (self.cle, fragments)
        return Espace(fragments, taille)


class Espace:
    def __init__(self, fragments: dict, taille: int):
        self._fragments, self.taille = fragments, taille

    def get(self, cle, defaut=None):
        return self._fragments.get(cle, defaut)

    def set(self, cle, valeur) -> None:
        """Keep at most ``taille`` fragments: the oldest goes first (dicts keep their order)."""
        if cle not in self._fragments and len(self._fragments) >= self.taille:
            # pop, not del: a threaded development server may have dropped it meanwhile
            self._fragments.pop(next(iter(self._fragments), None), None)
        self._fragments[cle] = valeur


def oublier() -> None:
    """Forget everything (tests)."""
    _memoire.clear()


memoire._TOUTES.append(oublier)  # guichet.memoire.tout_oublier() forgets these too
