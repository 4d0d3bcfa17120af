"""A meeting on the first of the month reads "1er" on every surface that prints its date."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from rendezvous import services
from tests.espace.factories import AccompagnementFactory, QuestionFactory
from tests.factories import CommuneFactory
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    territoire,
)

PARIS = ZoneInfo("Europe/Paris")
DEBUT = datetime.datetime(2027, 2, 1, 9, tzinfo=PARIS)  # Monday 1 February 2027
MAINTENANT = datetime.datetime(2027, 1, 27, 10, tzinfo=PARIS)
SANS_ORDINAL = re.compile(
    r"(?<![\d/])1 (janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre)"
)


def _lu(reponse):
    assert reponse.status_code == 200, reponse.status_code
    return reponse.content.decode()


@pytest.mark.django_db
def test_le_premier_du_mois_partout(client, django_capture_on_commit_callbacks):
    dep = territoire()
    motif = MotifFactory(delai_minimum_heures=0, fenetre_jours=30)
    referent = ReferentFactory(departements=[dep])
    referent.utilisateur.departements.set([dep])
    PlageFactory(
        referent=referent,
        motifs=[motif],
        lieu=LieuFactory(departement=dep),
        date_debut=MAINTENANT.date(),
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(12),
    )
    surfaces = {}
    with time_machine.travel(MAINTENANT, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            rdv, jeton = services.rendezvous_reserver(
                departement=dep,
                motif=motif,
                referent_id=referent.pk,
                debut=DEBUT,
                demandeur={"nom": "Léa Durand", "courriel": "lea@exemple.fr"},
            )
        services.envoyer_rappels(maintenant=DEBUT - datetime.timedelta(hours=12))
        for n, message in enumerate(mail.outbox):
            surfaces[f"courriel {n} : {message.subject}"] = message.subject + message.body
        surfaces["invitation"] = services._description_ics(rdv)
        surfaces["lien personnel"] = _lu(client.get(reverse("rendezvous:gerer", args=[jeton])))
        surfaces["déplacer"] = _lu(client.get(reverse("rendezvous:gerer_deplacer", args=[jeton])))
        client.force_login(referent.utilisateur)
        q = f"?referent={referent.pk}"
        jour = DEBUT.date()
        surfaces["agenda"] = _lu(client.get(reverse("rendezvous:agenda") + q))
        surfaces["journée"] = _lu(client.get(reverse("rendezvous:agenda_jour", args=[jour]) + q))
        surfaces["semaine"] = _lu(client.get(reverse("rendezvous:agenda_semaine", args=[jour]) + q))
        commune = CommuneFactory(departement=dep)
        question = QuestionFactory(commune=commune, recue_le=DEBUT)
        suivi = AccompagnementFactory(commune_cible=commune, premier_contact_le=DEBUT.date())
        surfaces["question"] = _lu(client.get(question.get_absolute_url()))
        surfaces["accompagnement"] = _lu(client.get(suivi.get_absolute_url()))
    assert len(surfaces) >= 10
    for surface, texte in surfaces.items():
        assert "1er février" in texte, surface
        assert not SANS_ORDINAL.search(texte), (surface, SANS_ORDINAL.search(texte)[0])
