"""A new visitor picks "infirmier libéral", opens a step, downloads a document, creates an
account and ticks a step of their own plan."""

import re

import pytest
from django.core import mail

from tests.aides.factories import OrganisationFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory
from tests.installation.factories import (
    ContactFactory,
    DocumentFactory,
    EtapeFactory,
    ParcoursFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parcours_infirmier_document_compte_et_plan(page, pages_editoriales):
    region = RegionFactory(nouvelle_aquitaine=True)
    deux_sevres = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    CommuneFactory(code="79191", nom="Niort", departement=deux_sevres, codes_postaux=["79000"])
    ordre = OrganisationFactory(code="ordre-infirmiers", nom="Ordre national des infirmiers")
    ParcoursFactory(slug="medecin-generaliste-liberal", titre="Médecin généraliste libéral")
    parcours = ParcoursFactory(slug="infirmier-liberal", titre="Infirmier libéral")
    EtapeFactory(parcours=parcours, phase="preparer", ordre=1, titre="Souscrire une RCP")
    etape = EtapeFactory(
        parcours=parcours,
        phase="ordre",
        ordre=2,
        organisation=ordre,
        slug="inscription-ordre",
        titre="S'inscrire au tableau de l'Ordre",
        pieces="- Diplôme d'État d'infirmier",
    )
    DocumentFactory(titre="Liste de contrôle infirmier", etapes=[etape], parcours=[parcours])
    ContactFactory(
        organisation=ordre,
        departement=deux_sevres,
        intitule="Conseil départemental de l'Ordre des infirmiers",
    )

    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="S'installer"
    ).click()
    page.get_by_role("link", name="Infirmier libéral").click()
    page.wait_for_url("**/installation/infirmier-liberal/")
    page.get_by_label("Votre département", exact=True).select_option("79")
    page.get_by_role("button", name="Afficher les contacts").click()
    page.get_by_role("link", name="S'inscrire au tableau de l'Ordre").click()
    page.wait_for_url("**/installation/infirmier-liberal/inscription-ordre/?departement=79")
    assert page.locator("h1").inner_text() == "S'inscrire au tableau de l'Ordre"
    assert "Conseil départemental de l'Ordre des infirmiers" in page.content()

    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("Liste de contrôle infirmier")).click()
    assert telechargement.value.suggested_filename == "liste-de-controle-infirmier.pdf"
    with open(telechargement.value.path(), "rb") as fichier:
        assert fichier.read(5) == b"%PDF-"

    page.get_by_role("link", name="Toutes les étapes").click()
    page.get_by_role("link", name="Créer un compte pour suivre mon plan").click()
    page.get_by_label("Courriel").fill("infirmiere@exemple.fr")
    page.locator("#id_password1").fill("un-mot-de-passe-tres-solide")
    page.get_by_label("Mot de passe (confirmation)").fill("un-mot-de-passe-tres-solide")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/comptes/confirm-email/")
    lien = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + lien.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Confirmer").click()

    # Confirming the e-mail logs the new account in.
    page.goto("/installation/infirmier-liberal/")
    page.get_by_label("Commune où vous voulez vous installer").fill(
        "Niort — Deux-Sèvres (79), 79000"
    )
    page.get_by_role("button", name="Commencer mon plan").click()
    page.wait_for_url(re.compile(r".*/installation/mon-plan/\d+/$"))
    assert "0 étape faite sur 2" in page.content()

    page.locator("summary", has_text="S'inscrire au tableau de l'Ordre").click()
    page.locator(f'label[for="etape-{etape.pk}-fait"]').click()  # the DSFR check box
    assert page.locator(f"#etape-{etape.pk}-fait").is_checked()
    page.get_by_role("button", name="Enregistrer : S'inscrire au tableau de l'Ordre").click()
    page.wait_for_url(re.compile(r".*/installation/mon-plan/\d+/#etape-\d+$"))
    assert "1 étape faite sur 2" in page.content()
    assert "Étape « S'inscrire au tableau de l'Ordre » enregistrée : faite." in page.inner_text(
        "main"
    )
    from axe_playwright_python.sync_playwright import Axe

    from installation.models import SuiviEtape
    from tests.browser.test_accessibilite import WCAG_A_AA

    # The plan is behind a login: the accessibility crawl cannot reach it, check it here.
    resultat = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
    assert not resultat.violations_count, resultat.generate_report()

    assert SuiviEtape.objects.get(
        etape=etape, plan__utilisateur__email="infirmiere@exemple.fr"
    ).fait
