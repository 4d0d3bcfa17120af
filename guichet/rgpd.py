"""Personal data rights, shared by every app: each app registers what it holds about a user.

The core exports the profile; apps add their sources (``enregistrer``) from their AppConfig,
so the account page's download and deletion cover everything without the core importing them.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    nom: str
    exporter: Callable  # user -> JSON-serialisable data
    effacer: Callable  # user -> None, before the account is deleted (anonymise or delete)


_SOURCES: dict[str, Source] = {}


def enregistrer(nom: str, *, exporter: Callable, effacer: Callable) -> None:
    _SOURCES[nom] = Source(nom, exporter, effacer)


def _profil(user) -> dict:
    return {
        "adresse_electronique": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "profession": user.profession,
        "specialite": user.specialite,
        "situation": user.situation,
        "departement_interet": user.departement_interet_id,
        "commune_interet": user.commune_interet_id,
        "inscrit_le": user.date_joined.isoformat(),
        "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
        "adresses": list(user.emailaddress_set.values("email", "verified", "primary")),
    }


def exporter_donnees(user) -> dict:
    """Everything the portal holds about the user (right of access)."""
    donnees = {"exporte_le": timezone.now().isoformat(), "profil": _profil(user)}
    for source in _SOURCES.values():
        donnees[source.nom] = source.exporter(user)
    return donnees


@transaction.atomic
def supprimer_compte(user, *, motif: str = "demande") -> None:
    """Delete an account: each app anonymises or deletes its data, then the user goes."""
    for source in _SOURCES.values():
        source.effacer(user)
    pk = user.pk
    logger.info("Compte %s supprimé (%s).", pk, motif)  # the id only: no personal data
    user.delete()
    _detacher_du_journal(pk)


def _detacher_du_journal(pk) -> None:
    """The audit entries written by the account itself (its own deletion included, logged
    after the collector ran) keep what happened, not who: the account no longer exists."""
    from django.apps import apps

    if apps.is_installed("auditlog"):
        from auditlog.models import LogEntry

        LogEntry.objects.filter(actor_id=pk).update(actor=None, actor_email=None)
