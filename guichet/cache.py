"""The one cache API: what the portal keeps between requests, keyed on content versions.

Two layers, one rule. Shared by every process: Django's cache framework (``settings.CACHES``:
rate limits, idempotency keys of bookings, whole anonymous pages). In the process, bounded:
``memoire(nom)``, least recently used out first, each kind with its budget in the one list
``settings.MEMOIRE_PROCESSUS`` — rendered fragments and option lists read on every request,
where a round trip to a shared cache would cost as much as the rendering saved.

The rule: a value is kept under the content versions it was built from (``guichet.versions``,
read *before* the content). A write of any kind (admin, import, queryset update, raw SQL) bumps
a version in PostgreSQL, so older values become unreachable in every process at once; they
age out of their bounded memory. Nothing is invalidated by hand: no signal, no time to live.
"""

import datetime
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from guichet.versions import versions

_MEMOIRES: dict[str, "Memoire"] = {}
_ABSENT = object()


class Memoire:
    """A bounded memory of this process: at most its budget of entries, least recently used
    out first."""

    def __init__(self, nom: str):
        self.nom = nom
        self.taille = settings.MEMOIRE_PROCESSUS[nom]  # every memory is listed there
        self._valeurs: OrderedDict = OrderedDict()
        self._verrou = threading.Lock()

    def get(self, cle, defaut=None):
        with self._verrou:
            valeur = self._valeurs.get(cle, _ABSENT)
            if valeur is _ABSENT:
                return defaut
            self._valeurs.move_to_end(cle)
            return valeur

    def set(self, cle, valeur) -> None:
        with self._verrou:
            self._valeurs[cle] = valeur
            self._valeurs.move_to_end(cle)
            while len(self._valeurs) > self.taille:
                self._valeurs.popitem(last=False)

    def __len__(self) -> int:
        return len(self._valeurs)

    def vider(self) -> None:
        with self._verrou:
            self._valeurs.clear()


def memoire(nom: str) -> Memoire:
    """The process's memory of that kind (its budget: ``settings.MEMOIRE_PROCESSUS[nom]``)."""
    trouvee = _MEMOIRES.get(nom)
    if trouvee is None:
        trouvee = _MEMOIRES.setdefault(nom, Memoire(nom))
    return trouvee


def tout_oublier() -> None:
    """Forget everything this process keeps (tests)."""
    for trouvee in _MEMOIRES.values():
        trouvee.vider()


class Fragments:
    """The versions of one or several content areas and the day, read once (one query), under
    which a page keeps its fragments: ``Fragments.pour("aides").espace("aides.cartes")``. The
    day is part of the key: time-dependent content (an aid closed since yesterday, "ends
    soon") is rendered again each day."""

    def __init__(self, zones: tuple[str, ...], cle: tuple):
        self.zones, self.cle = zones, cle

    @classmethod
    def pour(cls, *zones: str, jour: datetime.date | None = None) -> "Fragments":
        return cls(zones, (versions(*zones), jour or timezone.localdate()))

    def espace(self, nom: str) -> "Espace":
        return Espace(memoire(nom), (self.zones, self.cle))


class Espace:
    """One kind of fragment under one version key."""

    def __init__(self, memoire_: Memoire, prefixe: tuple):
        self._memoire, self._prefixe = memoire_, prefixe

    def get(self, cle, defaut=None):
        return self._memoire.get((self._prefixe, cle), defaut)

    def set(self, cle, valeur) -> None:
        self._memoire.set((self._prefixe, cle), valeur)


def garde(nom: str, *zones: str) -> Callable:
    """Keep a function's values in the memory ``nom`` under the versions of ``zones`` and its
    (hashable) positional arguments: option lists and settings read on every request."""

    def decorateur(fonction):
        @functools.wraps(fonction)
        def enveloppe(*args):
            cle = (fonction.__qualname__, versions(*zones), args)
            valeur = memoire(nom).get(cle, _ABSENT)
            if valeur is _ABSENT:
                valeur = fonction(*args)
                memoire(nom).set(cle, valeur)
            return valeur

        return enveloppe

    return decorateur
