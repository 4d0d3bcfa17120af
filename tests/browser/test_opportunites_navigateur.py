"""The mayor of Felletin posts a practice in a real browser; the Creuse agent publishes it; a
general practitioner finds it 30 km around Aubusson and writes through the portal; the mayor
answers; the post is marked filled."""

import os

import pytest
from django.core import mail

from opportunites.models import MessageOpportunite, Opportunite
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


def test_une_annonce_de_felletin_de_bout_en_bout(page, pages_editoriales):
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

    _se_connecter(page, agent)
    page.goto("/espace-ars/opportunites/")
    page.get_by_text("1 annonce en attente de modération").wait_for()
    _capture(page, "2-file")
    page.get_by_role("link", name="Cabinet de médecine générale à reprendre").click()
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Annonce publiée").wait_for()
    assert mail.outbox[-1].to == ["maire@felletin.example"]
    _se_deconnecter(page)

    _se_connecter(page, docteure)
    page.goto("/opportunites/?commune=23008&rayon=30&profession=medecin-generaliste")
    page.get_by_text("1 annonce à 30 km au plus d'Aubusson").wait_for()
    _capture(page, "3-liste")
    page.get_by_role("link", name="Cabinet de médecine générale à reprendre").click()
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
