"""What the portal holds about a person outside the core, and the retention rules (purge).

Registered with ``guichet.rgpd`` from EspaceConfig.ready: questions and accompaniments (this
app), aid simulations, installation plans and meetings (read through their models).
The same durations, from ``settings.RGPD_CONSERVATION``, drive the purge and the
"Données personnelles" page.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from espace.models import (
    Accompagnement,
    AvertissementInactivite,
    MessageQuestion,
    Question,
)
from guichet import rgpd
from rendezvous.models import RendezVous
from rendezvous.services import purger_rendezvous

logger = logging.getLogger(__name__)
ANONYME = "(anonymisé)"


def _mois(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=30 * n)


# -- export and deletion of one account ----------------------------------------------------------


def _questions_de(user):
    return Question.objects.filter(Q(utilisateur=user) | Q(courriel__iexact=user.email))


def exporter_questions(user):
    return [
        {
            "sujet": q.sujet,
            "recue_le": q.recue_le.isoformat(),
            "statut": q.statut,
            "commune": q.commune_id,
            "profession": q.profession,
            "situation": q.situation,
            "messages": [
                {
                    "le": m.envoye_le.isoformat(),
                    "de_l_ars": m.auteur_id is not None,
                    "texte": m.texte,
                }
                for m in q.messages.all()
            ],
        }
        for q in _questions_de(user).prefetch_related("messages")
    ]


def anonymiser_questions(qs, maintenant=None) -> int:
    maintenant = maintenant or timezone.now()
    ids = list(qs.filter(anonymisee_le__isnull=True).values_list("pk", flat=True))
    Question.objects.filter(pk__in=ids).update(
        courriel="anonyme@invalid",
        message="",
        utilisateur=None,
        anonymisee_le=maintenant,
    )
    MessageQuestion.objects.filter(question__in=ids).update(texte=ANONYME)
    return len(ids)


def exporter_accompagnements(user):
    return [
        {
            "profession": a.profession,
            "etape": a.etape,
            "premier_contact_le": a.premier_contact_le.isoformat(),
            "installe_le": a.installe_le.isoformat() if a.installe_le else None,
            "commune_envisagee": a.commune_cible_id,
        }
        for a in Accompagnement.objects.filter(utilisateur=user)
    ]


def anonymiser_accompagnements(qs, maintenant=None) -> int:
    maintenant = maintenant or timezone.now()
    return qs.filter(anonymise_le__isnull=True).update(
        nom=ANONYME, courriel="", telephone="", notes="", utilisateur=None, anonymise_le=maintenant
    )


def _detacher_accompagnements(user):
    # The team's follow-up is a public-interest record: the account link goes, the record stays
    # until its own retention ends (accompagnements_clos_mois).
    Accompagnement.objects.filter(utilisateur=user).update(utilisateur=None)


def _rendezvous_de(user):
    return RendezVous.objects.filter(Q(utilisateur=user) | Q(courriel__iexact=user.email))


def exporter_rendezvous(user):
    return [
        {
            "debut": r.debut.isoformat(),
            "motif": str(r.motif),
            "statut": r.statut,
            "nom": r.nom,
            "courriel": r.courriel,
            "telephone": r.telephone,
            "message": r.message,
        }
        for r in _rendezvous_de(user).select_related("motif")
    ]


def effacer_rendezvous(user) -> None:
    """Future meetings are cancelled, all are anonymised (the count stays for statistics)."""
    from django.db.models import TextField, Value
    from django.db.models.functions import Cast, Concat

    maintenant = timezone.now()
    qs = _rendezvous_de(user)
    qs.filter(debut__gt=maintenant, statut="confirme").update(
        statut="annule-usager", annule_le=maintenant
    )
    qs.update(
        nom=ANONYME,
        courriel=Concat(
            Value("anonyme-"),
            Cast("uuid", TextField()),
            Value("@invalid"),
            output_field=TextField(),
        ),
        telephone="",
        message="",
        utilisateur=None,
        jeton_empreinte="",
        anonymise_le=maintenant,
    )


def exporter_simulations(user):
    return list(user.simulations.values("libelle", "parametres", "cree_le"))


def exporter_plans(user):
    return [
        {
            "parcours": str(p.parcours),
            "commune": p.commune_id,
            "cree_le": p.cree_le.isoformat(),
            "etapes_suivies": list(p.suivis.values("etape__titre", "fait", "note")),
        }
        for p in user.plans_installation.select_related("parcours")
    ]


def _supprimer(relation):
    def effacer(user):
        getattr(user, relation).all().delete()

    return effacer


rgpd.enregistrer(
    "questions",
    exporter=exporter_questions,
    effacer=lambda user: anonymiser_questions(_questions_de(user)),
)
rgpd.enregistrer(
    "accompagnements", exporter=exporter_accompagnements, effacer=_detacher_accompagnements
)
rgpd.enregistrer("rendezvous", exporter=exporter_rendezvous, effacer=effacer_rendezvous)
rgpd.enregistrer("simulations", exporter=exporter_simulations, effacer=_supprimer("simulations"))
rgpd.enregistrer(
    "plans_installation", exporter=exporter_plans, effacer=_supprimer("plans_installation")
)


# -- the purge ---------------------------------------------------------------------------------


@dataclass
class Bilan:
    comptes_avertis: int = 0
    comptes_supprimes: int = 0
    questions_anonymisees: int = 0
    rendezvous_anonymises: int = 0
    accompagnements_anonymises: int = 0
    journal_supprime: int = 0
    details: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"{self.comptes_avertis} compte(s) averti(s), {self.comptes_supprimes} supprimé(s), "
            f"{self.questions_anonymisees} question(s), {self.rendezvous_anonymises} rendez-vous "
            f"et {self.accompagnements_anonymises} accompagnement(s) anonymisé(s), "
            f"{self.journal_supprime} entrée(s) du journal supprimée(s)"
        )


def _comptes_inactifs(bilan: Bilan, regles: dict, maintenant, envoyer) -> None:
    User = get_user_model()
    activite = Coalesce("last_login", "date_joined")
    inactifs = User.objects.filter(is_staff=False, is_superuser=False).alias(derniere=activite)
    preavis = datetime.timedelta(days=regles["comptes_preavis_jours"])
    limite = maintenant - _mois(regles["comptes_inactifs_mois"])
    # Warned accounts that logged in since get a fresh clock.
    AvertissementInactivite.objects.filter(utilisateur__last_login__gt=F("envoye_le")).delete()
    a_avertir = inactifs.filter(
        derniere__lt=limite + preavis, avertissement_inactivite__isnull=True
    )
    for user in a_avertir:
        envoyer(user, suppression_le=maintenant + preavis)
        AvertissementInactivite.objects.create(utilisateur=user, envoye_le=maintenant)
        bilan.comptes_avertis += 1
    a_supprimer = inactifs.filter(
        derniere__lt=limite, avertissement_inactivite__envoye_le__lte=maintenant - preavis
    )
    for user in a_supprimer:
        rgpd.supprimer_compte(user, motif="inactivité")
        bilan.comptes_supprimes += 1


def _questions(bilan: Bilan, regles: dict, maintenant) -> None:
    limite = maintenant - _mois(regles["questions_mois"])
    anciennes = (
        Question.objects.filter(anonymisee_le__isnull=True)
        .annotate(derniere=Greatest("recue_le", Max("messages__envoye_le")))
        .filter(derniere__lt=limite)
    )
    bilan.questions_anonymisees = anonymiser_questions(
        Question.objects.filter(pk__in=[q.pk for q in anciennes]), maintenant
    )


def _rendezvous(bilan: Bilan, regles: dict, maintenant) -> None:
    bilan.rendezvous_anonymises = purger_rendezvous(
        mois=regles["rendezvous_mois"], maintenant=maintenant
    )


def _accompagnements(bilan: Bilan, regles: dict, maintenant) -> None:
    limite = maintenant - _mois(regles["accompagnements_clos_mois"])
    clos = Accompagnement.objects.exclude(etape__in=["premier-contact", "projet"]).filter(
        modifie_le__lt=limite
    )
    bilan.accompagnements_anonymises = anonymiser_accompagnements(clos, maintenant)


def _journal(bilan: Bilan, regles: dict, maintenant) -> None:
    if not apps.is_installed("auditlog"):
        return
    LogEntry = apps.get_model("auditlog", "LogEntry")
    limite = maintenant - _mois(regles["journal_mois"])
    bilan.journal_supprime, _ = LogEntry.objects.filter(timestamp__lt=limite).delete()


def purger(*, maintenant=None, envoyer_avertissement) -> Bilan:
    """Apply every retention rule once; running it again changes nothing (idempotent)."""
    maintenant = maintenant or timezone.now()
    regles = settings.RGPD_CONSERVATION
    bilan = Bilan()
    with transaction.atomic():
        _comptes_inactifs(bilan, regles, maintenant, envoyer_avertissement)
        _questions(bilan, regles, maintenant)
        _rendezvous(bilan, regles, maintenant)
        _accompagnements(bilan, regles, maintenant)
        _journal(bilan, regles, maintenant)
    logger.info("Purge des données personnelles : %s.", bilan)
    return bilan
