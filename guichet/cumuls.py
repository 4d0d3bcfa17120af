"""Counts added up in each process and written together, at most every ``CUMULS_DELAI`` seconds.

An anonymous public page that counts its use (an aid viewed, a simulation run: espace's daily
counters) would otherwise write a row on every request, also when the page is served whole from
the cache — a write that costs more than the rest of a cache hit. Instead a receiver calls
``ajouter(nom, cle)``: the count is added in memory and ``CumulsMiddleware`` (outside the page
cache, so a rendering writes nothing) hands the sums to the writer registered under ``nom``
(``enregistrer``) once ``CUMULS_DELAI`` seconds have passed since the oldest pending count, in
one statement. Each process writes its own sums; the writers add (an upsert ``+ n``), so several
processes and servers add up.

The page cache keeps what a rendering added (``releve()``) and adds it again on each hit: a page
served from the cache is counted like a rendered one.

What a process still holds when it stops normally (a new deployment, gunicorn recycling a
worker) is written at exit; a process killed outright loses at most ``CUMULS_DELAI`` seconds of
counts. Tests set the delay to 0: each request writes its counts before it returns.
"""

import atexit
import contextlib
import contextvars
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable

from django.conf import settings

logger = logging.getLogger(__name__)

_ecrivains: dict[str, Callable[[dict[Hashable, int]], None]] = {}
_verrou = threading.Lock()
_en_attente: Counter = Counter()  # (nom, cle) -> count not yet written
_depuis: float | None = None  # monotonic time of the oldest pending count
_releve: contextvars.ContextVar[list | None] = contextvars.ContextVar("cumuls", default=None)


def enregistrer(nom: str, ecrire: Callable[[dict[Hashable, int]], None]) -> None:
    """``ecrire(sommes)`` writes ``{cle: n}``, adding each ``n`` to what is stored."""
    _ecrivains[nom] = ecrire


def ajouter(nom: str, cle: Hashable, n: int = 1) -> None:
    global _depuis
    if nom not in _ecrivains:
        raise LookupError(f"aucun cumul enregistré sous « {nom} »")
    if (releve_en_cours := _releve.get()) is not None:
        releve_en_cours.append((nom, cle, n))
    with _verrou:
        _en_attente[nom, cle] += n
        if _depuis is None:
            _depuis = time.monotonic()


@contextlib.contextmanager
def releve():
    """What is added inside the block, as ``[(nom, cle, n)]`` (the page cache keeps it)."""
    ajouts: list = []
    jeton = _releve.set(ajouts)
    try:
        yield ajouts
    finally:
        _releve.reset(jeton)


def ecrire(force: bool = False) -> None:
    """Hand the pending sums to their writers: when the oldest is ``CUMULS_DELAI`` seconds old,
    or now (``force``). Sums a writer could not store are kept for the next time."""
    global _depuis
    with _verrou:
        du = _depuis is not None and (force or time.monotonic() - _depuis >= settings.CUMULS_DELAI)
        if not du:
            return
        lot = dict(_en_attente)
        _en_attente.clear()
        _depuis = None
    par_nom: dict[str, dict] = {}
    for (nom, cle), n in lot.items():
        par_nom.setdefault(nom, {})[cle] = n
    for nom, sommes in par_nom.items():
        try:
            _ecrivains[nom](sommes)
        except Exception:
            logger.exception("cumuls « %s » non écrits, gardés pour la prochaine fois", nom)
            with _verrou:
                _en_attente.update({(nom, cle): n for cle, n in sommes.items()})
                _depuis = _depuis or time.monotonic()
            raise


def oublier() -> None:
    """Drop what is pending (tests: a rolled-back test's counts name rows that are gone)."""
    global _depuis
    with _verrou:
        _en_attente.clear()
        _depuis = None


def en_attente() -> dict[tuple[str, Hashable], int]:
    with _verrou:
        return dict(_en_attente)


class CumulsMiddleware:
    """Writes the pending sums after the answer is ready, once they are due."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        if _depuis is not None:
            try:
                ecrire()
            except Exception:  # logged by ``ecrire``: a reader never gets an error for a count
                pass
        return reponse


@atexit.register
def _a_la_sortie() -> None:
    if _depuis is None:
        return
    try:
        ecrire(force=True)
    except Exception:  # the process is stopping: logged, nothing else to do
        pass
