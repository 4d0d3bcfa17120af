"""A new user filters the aids to nurses in a commune and opens one."""

import pytest

from tests.aides.factories import AideFactory, ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filtrer_infirmier_dans_une_commune_et_ouvrir_une_aide(page, pages_editoriales):
    region = RegionFactory(nouvelle_aquitaine=True)
    deux_sevres = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    melle = CommuneFactory(
        code="79174", nom="Melle", departement=deux_sevres, codes_postaux=["79500"]
    )
    CommuneFactory(code="79191", nom="Niort", departement=deux_sevres, codes_postaux=["79000"])
    AideFactory(
        nom="Contrat d'aide à l'installation des infirmiers",
        slug="capii",
        professions=["infirmier"],
        zonage_requis=["tres-sous-dotee"],
        montant=37500,
        unite="",
        engagement="Exercer 5 ans dans la zone.",
    )
    AideFactory(nom="Aide réservée aux médecins", professions=["medecin-generaliste"])
    AideFactory(
        nom="Contrat de zone sous-dotée", professions=["infirmier"], zonage_requis=["sous-dotee"]
    )
    ZonageFactory(commune=melle, profession="infirmier", niveau="tres-sous-dotee")

    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Aides").click()
    page.get_by_label("Profession", exact=True).select_option("infirmier")
    champ = page.get_by_label("Commune d'exercice")
    champ.press_sequentially("mel", delay=50)
    page.locator("datalist option").first.wait_for(state="attached")
    champ.fill("Melle — Deux-Sèvres (79), 79500")
    page.get_by_role("button", name="Afficher les aides").click()

    page.wait_for_url("**/aides/?*commune=79174*")
    statut = page.get_by_role("status").first.inner_text()
    assert statut.startswith("1 aide pour Melle")
    assert page.get_by_text("Aide réservée aux médecins").count() == 0
    page.get_by_role("link", name="Contrat d'aide à l'installation des infirmiers").click()
    page.wait_for_url("**/aides/capii/")
    assert "Exercer 5 ans dans la zone." in page.content()
    assert page.get_by_role(
        "link", name="Prendre rendez-vous avec le référent installation"
    ).count()


def test_une_suggestion_choisie_porte_son_code_insee(page, pages_editoriales):
    """Choosing "Le Lamentin" among the suggestions puts its INSEE code (97213) in the hidden
    input; typing anything else empties it. 97213 is also Gros-Morne's postal code: the result
    is Le Lamentin's."""
    region = RegionFactory(martinique=True)
    martinique = DepartementFactory(code="972", nom="Martinique", region=region)
    CommuneFactory(code="97213", nom="Le Lamentin", departement=martinique, codes_postaux=["97232"])
    CommuneFactory(code="97212", nom="Gros-Morne", departement=martinique, codes_postaux=["97213"])

    page.goto("/aides/simulateur/?profession=infirmier&situation=installe")
    champ = page.get_by_label("Dans quelle commune voulez-vous exercer ?")
    code = page.locator('input[type="hidden"][name="commune"]')
    champ.press_sequentially("lamen", delay=50)
    page.locator("datalist option").first.wait_for(state="attached")
    assert code.input_value() == ""
    champ.fill("Le Lamentin — Martinique (972), 97232")
    assert code.input_value() == "97213"
    champ.fill("Le Lamentin — Martinique (972), 9723")
    assert code.input_value() == ""
    champ.fill("Le Lamentin — Martinique (972), 97232")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**commune=97213*")
    assert page.locator('input[type="hidden"][name="commune"]').input_value() == "97213"
