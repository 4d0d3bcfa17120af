"""Writes of the opportunities: posting, submitting, moderating; each e-mails the author."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from opportunites.models import Opportunite

logger = logging.getLogger(__name__)


def _ecrire_a_l_auteur(opportunite: Opportunite, gabarit: str, **contexte) -> bool:
    """A fixed subject (never text written by someone else), the details in the body."""
    contexte = {"opportunite": opportunite, "PORTAIL_NOM": settings.PORTAIL_NOM,
                "SITE_URL": settings.SITE_URL, "ARS_NOM": settings.ARS_NOM, **contexte}  # fmt: skip
    sujet = render_to_string(f"opportunites/emails/{gabarit}_subject.txt", contexte).strip()
    message = EmailMessage(
        subject=f"[{settings.PORTAIL_NOM}] {sujet}",
        body=render_to_string(f"opportunites/emails/{gabarit}_body.txt", contexte),
        to=[opportunite.auteur.email],
    )
    try:
        message.send()
    except Exception:  # the decision stands; the author also sees it on "Mes annonces"
        logger.exception("Courriel %s non envoyé", gabarit)
        return False
    return True


@transaction.atomic
def opportunite_enregistrer(*, form, auteur, soumettre: bool) -> Opportunite:
    """Save the author's post (new or a draft), and submit it to moderation if asked."""
    opportunite = form.save(commit=False)
    if opportunite.pk is None:
        opportunite.auteur = auteur
    if soumettre:
        opportunite.soumettre()
    opportunite.save()
    return opportunite


@transaction.atomic
def opportunite_publier(*, opportunite: Opportunite, moderateur) -> None:
    opportunite.publier(moderateur)
    opportunite.save()
    _ecrire_a_l_auteur(opportunite, "publiee")


@transaction.atomic
def opportunite_refuser(*, opportunite: Opportunite, moderateur, motif: str) -> None:
    opportunite.refuser(moderateur, motif)
    opportunite.save()
    _ecrire_a_l_auteur(opportunite, "refusee")


@transaction.atomic
def opportunite_demander_modifications(
    *, opportunite: Opportunite, moderateur, message: str
) -> None:
    opportunite.demander_modifications(moderateur, message)
    opportunite.save()
    _ecrire_a_l_auteur(opportunite, "modifications")
