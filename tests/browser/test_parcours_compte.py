"""A new visitor creates an account, confirms it and sets their commune with the autocomplete."""

import re

import pytest
from django.core import mail

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inscription_confirmation_et_profil(page, pages_editoriales, live_server):
    region = RegionFactory(nouvelle_aquitaine=True)
    deux_sevres = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    CommuneFactory(code="79191", nom="Niort", departement=deux_sevres, codes_postaux=["79000"])
    CommuneFactory(code="79174", nom="Melle", departement=deux_sevres, codes_postaux=["79500"])

    page.goto("/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Courriel").fill("interne@exemple.fr")
    page.locator("#id_password1").fill("un-mot-de-passe-tres-solide")
    page.get_by_label("Mot de passe (confirmation)").fill("un-mot-de-passe-tres-solide")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/comptes/confirm-email/")

    lien = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    chemin = "/" + lien.split("://", 1)[1].split("/", 1)[1]
    page.goto(chemin)
    page.get_by_role("button", name="Confirmer").click()
    # Confirming the address logs the visitor in (no second password entry).
    page.wait_for_url("**/compte/")

    page.get_by_label("Situation").select_option("interne")
    champ = page.get_by_label("Commune qui m'intéresse")
    champ.press_sequentially("nio", delay=50)
    page.locator("datalist option").first.wait_for(state="attached")
    premier = page.locator("datalist option").first.get_attribute("value")
    assert premier == "Niort — Deux-Sèvres (79), 79000"
    champ.fill(premier)
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.wait_for_url("**/compte/")
    assert "Votre profil a été enregistré" in page.content()
    from guichet.models import User

    user = User.objects.get(email="interne@exemple.fr")
    assert user.commune_interet_id == "79191"
    assert user.situation == "interne"
