"""The mayor of Felletin posts a practice in a real browser; the Creuse agent publishes it; a
general practitioner who saved "médecin généraliste, 30 km autour d'Aubusson" receives it in the
next digest (the job run with a frozen clock), writes through the portal; the mayor answers; the
post is marked filled and the agent's figures count it."""

import datetime
import os
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from opportunites.alertes import envoyer_alertes
from opportunites.models import Alerte, MessageOpportunite, Opportunite
from tests.browser.test_espace_navigateur import _se_connecter
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CAPTURES = os.environ.get("CAPTURES_OPPORTUNITES")  # a folder to look at the pages


def _capture(page, nom):
    if CAPTURES:
        page.screenshot(path=f"{CAPTURES}/{nom}.png", full_page=True)


def _se_deconnecter(page):
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def test_une_annonce_de_felletin_de_bout_en_bout(page, navigateur, live_server, pages_editoriales):
    na = RegionFactory(code="75", nom="Nouvelle-Aquitaine")
    creuse = DepartementFactory(code="23", nom="Creuse", region=na)
    CommuneFactory(
        code="23008",
        nom="Aubusson",
        departement=creuse,
        codes_postaux=["23200"],
        latitude=45.95075,
        longitude=2.16679,
    )
    CommuneFactory(
        code="23079",
        nom="Felletin",
        departement=creuse,
        codes_postaux=["23500"],
        latitude=45.89089,
        longitude=2.18224,
    )
    maire = UserFactory(email="maire@felletin.example", first_name="Marie", last_name="Maire")
    agent = UserFactory(agent_ars=True, departements=[creuse], email="agent23@ars.example")
    docteure = UserFactory(email="docteure@exemple.fr", profession="medecin-generaliste")

    # The GP saves her search before anything is posted.
    _se_connecter(page, docteure)
    page.goto("/opportunites/?commune=23008&rayon=30&profession=medecin-generaliste")
    page.locator("#nombre-resultats", has_text="30 km au plus d'Aubusson").wait_for()
    page.get_by_label("Recevoir les nouveautés").select_option("quotidienne")
    page.get_by_role("button", name="Créer une alerte pour cette recherche").click()
    page.get_by_text("Alerte enregistrée").wait_for()
    page.get_by_text("Opportunités — Médecin généraliste, 30 km autour d'Aubusson").wait_for()
    _capture(page, "0-alertes")
    assert Alerte.objects.get().parametres["commune"] == "23008"
    _se_deconnecter(page)

    _se_connecter(page, maire)
    page.goto("/opportunites/publier/")
    page.get_by_label("Vous publiez en tant que").select_option("collectivite")
    page.get_by_label("Nom de la structure").fill("Commune de Felletin")
    page.get_by_label("Type d'annonce").select_option("reprise-cession")
    page.get_by_label("Titre").fill("Cabinet de médecine générale à reprendre")
    page.get_by_label("Médecin généraliste").check(force=True)  # the DSFR label covers it
    page.locator("#id_commune").fill("Felletin")
    page.get_by_label("Description").fill("Cabinet au centre-bourg, **loyer modéré**.")
    _capture(page, "1-formulaire")
    page.get_by_role("button", name="Soumettre à l'ARS").click()
    page.get_by_text("Annonce transmise à l'équipe de l'ARS").wait_for()
    assert Opportunite.objects.get().statut == "soumise"
    _se_deconnecter(page)

    # The agent works in her own browser (signed in once: her second factor is not replayed).
    contexte_agent = navigateur.new_context(base_url=live_server.url, locale="fr-FR")
    page_agent = contexte_agent.new_page()
    page_agent.set_default_timeout(10_000)
    _se_connecter(page_agent, agent)
    page_agent.goto("/espace-ars/opportunites/")
    page_agent.get_by_text("1 annonce en attente de modération").wait_for()
    _capture(page_agent, "2-file")
    page_agent.get_by_role("link", name="Cabinet de médecine générale à reprendre").click()
    page_agent.get_by_role("button", name="Publier").click()
    page_agent.get_by_text("Annonce publiée").wait_for()
    assert mail.outbox[-1].to == ["maire@felletin.example"]

    # The next morning's digest (the scheduled job, run with a frozen clock) brings it to her.
    demain = timezone.localdate() + datetime.timedelta(days=1)
    matin = datetime.datetime.combine(demain, datetime.time(7, 5), timezone.get_current_timezone())
    with time_machine.travel(matin, tick=False):
        assert envoyer_alertes() == {"prepares": 1, "envoyes": 1}
        assert envoyer_alertes() == {"prepares": 0, "envoyes": 0}
    digest = mail.outbox[-1]
    assert digest.to == ["docteure@exemple.fr"] and "1 nouveauté" in digest.subject
    assert "Felletin (23), à 7 km" in digest.body
    lien = re.search(r"https?://\S+(/opportunites/\d+/)", digest.body)[1]

    _se_connecter(page, docteure)
    page.goto(lien)
    page.get_by_text("loyer modéré").wait_for()
    _capture(page, "4-fiche")
    page.get_by_role("link", name="Écrire à l'auteur").click()
    page.get_by_label("Votre message").fill("Généraliste, je cherche à m'installer en Creuse.")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Message transmis à l'auteur").wait_for()
    assert "docteure@exemple.fr" not in mail.outbox[-1].body
    _se_deconnecter(page)

    _se_connecter(page, maire)
    page.goto("/opportunites/mes-annonces/")
    page.locator("#messages-recus a").first.click()
    _capture(page, "5-message")
    page.get_by_label("Votre réponse").fill("Venez visiter le cabinet.")
    page.get_by_role("button", name="Répondre").click()
    page.get_by_text("Réponse envoyée.").wait_for()
    assert mail.outbox[-1].to == ["docteure@exemple.fr"]
    assert MessageOpportunite.objects.get().repondu_le is not None
    page.goto("/opportunites/mes-annonces/")
    page.get_by_role("button", name="Marquer pourvue").click()
    page.get_by_text("Annonce marquée pourvue").wait_for()
    _capture(page, "6-mes-annonces")
    assert Opportunite.objects.get().statut == "pourvue"

    page_agent.goto("/espace-ars/opportunites/bilan/")
    annee = timezone.localdate().year
    page_agent.get_by_text(f"En {annee}, 1 annonce publiée, déjà 1 pourvue").wait_for()
    _capture(page_agent, "7-bilan")
    contexte_agent.close()
