"""Periodic commands: one at a time across every server, logged, non-zero exit on failure.

Decorate the ``handle`` of every command the scheduler (or a cron) runs::

    @tache_planifiee("envoyer_rappels")
    def handle(self, *args, **options): ...

The command takes a PostgreSQL advisory lock named after the task (``pg_try_advisory_lock``,
session level, released in ``finally``). If another instance holds it (a second scheduler, a
cron and a hand-run command starting together), this one logs it and exits 0 without doing
anything. Start, end and duration are logged; an exception is logged with its traceback and
becomes a ``CommandError``, so that ``manage.py`` exits with status 1.
"""

import functools
import hashlib
import logging
import time
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import connection

logger = logging.getLogger("guichet.taches")


def cle_du_verrou(nom: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock (same on every server and Python)."""
    return int.from_bytes(hashlib.blake2b(nom.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def verrou_exclusif(nom: str):
    """Yield True when this process holds the lock of ``nom``, False when another one does."""
    cle = cle_du_verrou(f"guichet.tache.{nom}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [cle])
        obtenu = cursor.fetchone()[0]
    try:
        yield obtenu
    finally:
        if obtenu:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [cle])


def tache_planifiee(nom: str):
    """Decorator for a management command's ``handle``: see the module docstring."""

    def decorateur(handle):
        @functools.wraps(handle)
        def enveloppe(self, *args, **options):
            debut = time.monotonic()
            with verrou_exclusif(nom) as obtenu:
                if not obtenu:
                    logger.warning("%s : déjà en cours ailleurs, rien à faire.", nom)
                    self.stdout.write(f"{nom} : déjà en cours ailleurs, rien à faire.")
                    return None
                logger.info("%s : début.", nom)
                try:
                    resultat = handle(self, *args, **options)
                except CommandError:
                    logger.exception("%s : échec.", nom)
                    raise
                except Exception as exc:
                    logger.exception("%s : échec.", nom)
                    raise CommandError(f"{nom} a échoué : {exc}") from exc
                logger.info("%s : terminé en %.1f s.", nom, time.monotonic() - debut)
                return resultat

        enveloppe.tache_planifiee = nom
        return enveloppe

    return decorateur
