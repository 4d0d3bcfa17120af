"""Writes of the opportunities: posting, submitting, moderating; each e-mails the author."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from aides.commune import zonages_de
from opportunites import fiche
from opportunites.models import MessageOpportunite, Opportunite

logger = logging.getLogger(__name__)


def _ecrire_a_l_auteur(opportunite: Opportunite, gabarit: str, **contexte) -> bool:
    return _ecrire(opportunite.auteur.email, gabarit, opportunite=opportunite, **contexte)


def _ecrire(destinataire: str, gabarit: str, *, reply_to=None, **contexte) -> bool:
    """A fixed subject (never text written by someone else), the details in the body."""
    contexte = {
        "PORTAIL_NOM": settings.PORTAIL_NOM,
        "SITE_URL": settings.SITE_URL,
        "ARS_NOM": settings.ARS_NOM,
        **contexte,
    }
    sujet = render_to_string(f"opportunites/emails/{gabarit}_subject.txt", contexte).strip()
    message = EmailMessage(
        subject=f"[{settings.PORTAIL_NOM}] {sujet}",
        body=render_to_string(f"opportunites/emails/{gabarit}_body.txt", contexte),
        to=[destinataire],
        reply_to=reply_to,
    )
    try:
        message.send()
    except Exception:  # the decision stands; the author also sees it on "Mes annonces"
        logger.exception("Courriel %s non envoyé", gabarit)
        return False
    return True


def auteur_de_confiance(auteur) -> bool:
    """An author with OPPORTUNITE_AUTEURS_DE_CONFIANCE posts published before (0: nobody)."""
    seuil = settings.OPPORTUNITE_AUTEURS_DE_CONFIANCE
    if seuil <= 0:
        return False
    return Opportunite.objects.filter(auteur=auteur, publiee_le__isnull=False).count() >= seuil


@transaction.atomic
def opportunite_enregistrer(*, form, auteur, soumettre: bool) -> Opportunite:
    """Save the author's post (new or a draft), and submit it to moderation if asked; a trusted
    author's post is published at once (the staff still see it among the published ones)."""
    opportunite = form.save(commit=False)
    if opportunite.pk is None:
        opportunite.auteur = auteur
    if soumettre:
        opportunite.soumettre()
        if auteur_de_confiance(auteur):
            opportunite.publier(moderateur=None)
    opportunite.save()
    return opportunite


@transaction.atomic
def opportunite_signaler(*, opportunite: Opportunite, motif: str) -> None:
    """A reader's report: the post goes back to the moderation queue, off line."""
    opportunite = Opportunite.objects.select_for_update().get(pk=opportunite.pk)
    opportunite.signaler(motif)
    opportunite.save()


def rappeler_echeances(*, maintenant=None) -> int:
    """Remind each author, once, that a post ends within OPPORTUNITE_RAPPEL_JOURS days."""
    maintenant = maintenant or timezone.now()
    n = 0
    for pk in Opportunite.objects.a_rappeler(timezone.localdate(maintenant)).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            o = Opportunite.objects.select_for_update().select_related("auteur").get(pk=pk)
            if o.rappel_envoye_le is None and o.en_ligne:
                o.rappel_envoye_le = maintenant
                o.save(update_fields=["rappel_envoye_le"])
                n += _ecrire_a_l_auteur(o, "echeance")
    return n


def purger_opportunites(*, maintenant=None) -> int:
    """Delete the closed posts past OPPORTUNITE_CONSERVATION_JOURS, with their messages and
    their document."""
    n = 0
    for o in Opportunite.objects.a_purger(maintenant or timezone.now()).only("pk", "piece_jointe"):
        if o.piece_jointe:
            o.piece_jointe.storage.delete(o.piece_jointe.name)
        o.delete()
        n += 1
    return n


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


def autour_de_l_annonce(opportunite: Opportunite) -> dict:
    """What the detail page shows around a post: the commune's zoning for the post's
    professions (unknown stays unknown, read through the aids app's public function) and the
    referent to call (opportunites.fiche)."""
    commune = opportunite.commune
    zonages = [z for z in zonages_de(commune) if z.profession in opportunite.professions]
    return {"zonages": zonages, "referent": fiche.referent_a_appeler(commune)}


def expirer_opportunites(*, maintenant=None) -> int:
    """Published posts past their date become expired (each through the model's guarded
    transition, one short transaction each); running it again changes nothing."""
    maintenant = maintenant or timezone.now()
    n = 0
    for pk in Opportunite.objects.a_expirer(timezone.localdate(maintenant)).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            opportunite = Opportunite.objects.select_for_update().get(pk=pk)
            if opportunite.peut("expirer"):
                opportunite.expirer(maintenant)
                opportunite.save()
                n += 1
    return n


@transaction.atomic
def opportunite_contacter(
    *, opportunite: Opportunite, expediteur, texte: str
) -> MessageOpportunite:
    """Store a reader's message and relay it to the author, without the reader's address (the
    author answers through the portal)."""
    if not opportunite.en_ligne:
        raise ValidationError("Cette annonce n'est plus en ligne.")
    if expediteur.pk == opportunite.auteur_id:
        raise ValidationError("C'est votre propre annonce.")
    message = MessageOpportunite.objects.create(
        opportunite=opportunite, expediteur=expediteur, texte=texte.strip()
    )
    _ecrire_a_l_auteur(opportunite, "message", message=message)
    return message


@transaction.atomic
def opportunite_repondre(*, message: MessageOpportunite, texte: str) -> None:
    """The author's answer goes to the reader with the author's address (Reply-To): once the
    author answers, both may write to each other directly."""
    message.repondre(texte)
    message.save()
    auteur = message.opportunite.auteur
    _ecrire(
        message.expediteur.email,
        "reponse",
        reply_to=[auteur.email],
        message=message,
        opportunite=message.opportunite,
        adresse_auteur=auteur.email,
    )
