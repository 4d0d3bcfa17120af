"""Writes of the staff side: questions asked and answered, accompaniments opened and moved."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from espace.models import Accompagnement, ChangementEtape, MessageQuestion, Question
from guichet import roles
from installation.models import Plan
from rendezvous.models import Referent

logger = logging.getLogger(__name__)


def _envoyer(*, gabarit: str, destinataire: str, contexte: dict, repondre_a: str = "") -> bool:
    """One e-mail from ``emails/<gabarit>_{subject,body}.txt`` + ``_body.html``.

    Subjects and bodies quote nothing the public typed (the person's subject or message): they
    go to whatever address was typed, under the portal's name.
    """
    contexte = {"PORTAIL_NOM": settings.PORTAIL_NOM, "SITE_URL": settings.SITE_URL, **contexte}
    sujet = render_to_string(f"emails/{gabarit}_subject.txt", contexte).strip()
    message = EmailMultiAlternatives(
        subject=f"[{settings.PORTAIL_NOM}] {sujet}",
        body=render_to_string(f"emails/{gabarit}_body.txt", contexte),
        to=[destinataire],
        reply_to=[repondre_a] if repondre_a else None,
    )
    message.attach_alternative(
        render_to_string(f"emails/{gabarit}_body.html", contexte), "text/html"
    )
    try:
        message.send()
    except Exception:  # the question is kept; staff see the failed delivery in the thread
        logger.exception("Courriel %s non envoyé", gabarit)
        return False
    return True


def referent_pour(departement):
    """The installation referent of the département, else one of its region, else nobody.

    Among several, the one with the fewest open questions (then by e-mail, to be stable).
    """
    User = get_user_model()
    referents = User.objects.filter(
        is_active=True, is_staff=True, groups__name=roles.REFERENT_INSTALLATION
    ).annotate(
        ouvertes=Count(
            "questions_attribuees",
            filter=Q(questions_attribuees__statut__in=["nouvelle", "en-cours"]),
        )
    )
    for filtre in (Q(departements=departement), Q(regions=departement.region_id)):
        choisi = referents.filter(filtre).order_by("ouvertes", "email").first()
        if choisi:
            return choisi
    return None


def echeance_pour(recue_le: datetime.datetime) -> datetime.date:
    """The due date: ``QUESTION_DELAI_JOURS_OUVRES`` working days (Monday to Friday) later."""
    jour = timezone.localdate(recue_le)
    restants = settings.QUESTION_DELAI_JOURS_OUVRES
    while restants > 0:
        jour += datetime.timedelta(days=1)
        if jour.weekday() < 5:
            restants -= 1
    return jour


@transaction.atomic
def question_poser(
    *, profession, situation, commune, sujet, message, courriel, utilisateur=None
) -> Question:
    """Record a question, route it to the referent of the commune's territory, acknowledge it."""
    departement = commune.departement
    maintenant = timezone.now()
    question = Question.objects.create(
        profession=profession,
        situation=situation,
        commune=commune,
        departement=departement,
        region_id=departement.region_id,
        sujet=sujet,
        message=message,
        courriel=courriel.strip().lower(),
        utilisateur=utilisateur if utilisateur and utilisateur.is_authenticated else None,
        referent=referent_pour(departement),
        recue_le=maintenant,
        echeance=echeance_pour(maintenant),
    )
    MessageQuestion.objects.create(question=question, texte=message, envoye_le=maintenant)
    transaction.on_commit(
        lambda: _envoyer(
            gabarit="question_accuse",
            destinataire=question.courriel,
            contexte={"question": question, "departement": departement},
        )
    )
    return question


def _genre_referent(utilisateur) -> str:
    """The ``Genre`` the answering agent gave on their referent record ("" if none)."""
    return (
        Referent.objects.filter(utilisateur=utilisateur).values_list("genre", flat=True).first()
        or ""
    )


def adresse_reponse(question: Question, auteur) -> str:
    """Where the person's reply to an answer goes: the ARS mailbox when one is configured
    (``RENDEZVOUS_REPONDRE_A``, shared with the booking e-mails), else the question's referent,
    else whoever answered; never the no-reply sender."""
    referent = question.referent if question.referent_id else None
    return (
        settings.RENDEZVOUS_REPONDRE_A
        or (referent.email if referent and referent.email else "")
        or auteur.email
    )


@transaction.atomic
def question_repondre(
    *, question: Question, auteur, texte: str, clore: bool = False
) -> MessageQuestion:
    """E-mail the answer to the person, keep it in the thread, mark the question answered."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.referent_id is None:
        question.assigner(auteur)
    question.marquer_repondue()
    if clore:
        question.clore()
    envoye = _envoyer(
        gabarit="question_reponse",
        destinataire=question.courriel,
        contexte={
            "question": question,
            "texte": texte,
            "auteur": auteur,
            "genre": _genre_referent(auteur),
        },
        repondre_a=adresse_reponse(question, auteur),
    )
    reponse = MessageQuestion.objects.create(
        question=question, auteur=auteur, texte=texte, envoi_reussi=envoye
    )
    question.save()
    return reponse


@transaction.atomic
def accompagnement_ouvrir(*, par, **champs) -> Accompagnement:
    """Open an accompaniment (first contact today unless given) with its first history row."""
    accompagnement = Accompagnement.objects.create(
        referent=champs.pop("referent", None) or par, **champs
    )
    ChangementEtape.objects.create(
        accompagnement=accompagnement,
        de="",
        vers=accompagnement.etape,
        le=accompagnement.premier_contact_le,
        par=par,
    )
    return accompagnement


@transaction.atomic
def accompagnement_depuis_question(*, question: Question, par) -> Accompagnement:
    """The question's accompaniment: the existing one of this person, or a new one."""
    if question.accompagnement_id:
        return question.accompagnement
    existant = (
        Accompagnement.objects.filter(departement=question.departement)
        .filter(
            Q(courriel__iexact=question.courriel)
            | Q(utilisateur_id=question.utilisateur_id, utilisateur__isnull=False)
        )
        .exclude(etape__in=[Accompagnement.Etape.ABANDONNE, Accompagnement.Etape.PARTI])
        .first()
    )
    accompagnement = existant or accompagnement_ouvrir(
        par=par,
        nom=_nom_de(question.utilisateur) or question.courriel.split("@")[0],
        courriel=question.courriel,
        utilisateur=question.utilisateur,
        profession=question.profession,
        commune_cible=question.commune,
        departement=question.departement,
        region_id=question.region_id,
        premier_contact_le=timezone.localdate(question.recue_le),
        plan=_plan_de(question.utilisateur),
    )
    question.accompagnement = accompagnement
    question.save(update_fields=["accompagnement"])
    return accompagnement


@transaction.atomic
def accompagnement_depuis_rendezvous(*, rdv, par) -> Accompagnement:
    """Open (or find) the accompaniment of the person who booked a meeting."""
    departement = rdv.lieu.departement
    existant = (
        Accompagnement.objects.filter(departement=departement, courriel__iexact=rdv.courriel)
        .exclude(etape__in=[Accompagnement.Etape.ABANDONNE, Accompagnement.Etape.PARTI])
        .first()
    )
    return existant or accompagnement_ouvrir(
        par=par,
        nom=rdv.nom,
        courriel=rdv.courriel,
        telephone=rdv.telephone,
        utilisateur=rdv.utilisateur,
        profession=rdv.profession or "autre",
        commune_cible=rdv.commune,
        departement=departement,
        region_id=departement.region_id,
        premier_contact_le=min(timezone.localdate(rdv.cree_le), timezone.localdate()),
        plan=_plan_de(rdv.utilisateur),
    )


@transaction.atomic
def accompagnement_changer_etape(
    *, accompagnement: Accompagnement, etape: str, par, le=None, commune=None
) -> ChangementEtape:
    """Move an accompaniment to another stage and record the change with its date."""
    accompagnement = Accompagnement.objects.select_for_update().get(pk=accompagnement.pk)
    changement = accompagnement.changer_etape(etape, par=par, le=le, commune=commune)
    accompagnement.save()
    changement.save()
    return changement


def _nom_de(user) -> str:
    return user.get_full_name() if user else ""


def _plan_de(user):
    if user is None:
        return None
    return Plan.objects.filter(utilisateur=user).order_by("-modifie_le").first()


def avertir_inactivite(user, *, suppression_le) -> bool:
    """Tell an inactive account holder their account will be deleted unless they log in."""
    return _envoyer(
        gabarit="compte_inactif",
        destinataire=user.email,
        contexte={"user": user, "suppression_le": suppression_le},
    )
