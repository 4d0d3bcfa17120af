"""A referent logs in, answers a question, opens an accompaniment from it, moves it to
"installé" and sees the dashboard change. A TOTP code is entered only if the page asks for one
(staff MFA comes from another branch)."""

import pytest
from django.core import mail

from espace.models import Accompagnement, Question
from tests.espace.factories import QuestionFactory
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
    UserFactory,
    code_totp,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MOT_DE_PASSE = "mot-de-passe-de-test-solide"


def _se_connecter(page, user):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.locator("#id_password").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    code = page.locator("input[name='code']")
    if code.count():
        code.fill(code_totp(user))
        page.locator("form:has(input[name='code']) button[type='submit']").first.click()
        page.wait_for_load_state()


def test_repondre_suivre_et_installer(page, pages_editoriales):
    region = RegionFactory(code="75", nom="Nouvelle-Aquitaine")
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    commune = CommuneFactory(code="79191", nom="Niort", departement=dep)
    referent = UserFactory(
        referent=True, departements=[dep], first_name="Dominique", last_name="Référent"
    )
    QuestionFactory(
        commune=commune,
        sujet="Aides pour une installation à Niort",
        profession="infirmier",
        referent=referent,
    )

    _se_connecter(page, referent)
    page.get_by_role("link", name="Espace ARS").first.click()
    page.get_by_text("0 professionnels accompagnés, dont 0 installés").wait_for()

    page.get_by_role("link", name="Questions reçues").first.click()
    page.get_by_role("link", name="Aides pour une installation à Niort").click()
    page.get_by_label("Votre réponse").fill("Voici les aides accessibles à Niort.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.get_by_text("La réponse a été envoyée par courriel.").wait_for()
    assert Question.objects.get().statut == "repondue"
    assert any("Voici les aides accessibles" in m.body for m in mail.outbox)

    page.get_by_role("button", name="Ouvrir un accompagnement").click()
    page.get_by_text("L'accompagnement est ouvert.").wait_for()
    page.get_by_label("Nouvelle étape").select_option("installe")
    page.get_by_role("button", name="Enregistrer l'étape").click()
    page.get_by_text("L'étape est enregistrée.").wait_for()
    assert page.locator("#etape-accompagnement").text_content() == "Installé"
    assert Accompagnement.objects.get().commune_installation == commune

    page.get_by_role("link", name="Tableau de bord").first.click()
    page.get_by_text("1 professionnel accompagné, dont 1 installé et 0 en projet").wait_for()
    assert "Installations dans l'année" in page.locator("#indicateurs").inner_text()


def test_pages_de_l_espace_accessibles(page, pages_editoriales):
    from axe_playwright_python.sync_playwright import Axe

    from tests.espace.factories import AccompagnementFactory

    region = RegionFactory(code="75", nom="Nouvelle-Aquitaine")
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    commune = CommuneFactory(code="79191", nom="Niort", departement=dep)
    referent = UserFactory(referent=True, departements=[dep])
    question = QuestionFactory(commune=commune, referent=referent)
    accompagnement = AccompagnementFactory(commune_cible=commune, installe=True)
    _se_connecter(page, referent)
    axe = Axe()
    rapports = []
    for chemin in [
        "/espace-ars/",
        "/espace-ars/questions/",
        question.get_absolute_url(),
        "/espace-ars/accompagnements/",
        accompagnement.get_absolute_url(),
        "/espace-ars/accompagnements/nouveau/",
        "/poser-une-question/",
        "/compte/",
        "/comptes/sessions/",
    ]:
        page.goto(chemin)
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
        resultat = axe.run(page, options={"runOnly": {"type": "tag", "values": tags}})
        if resultat.violations_count:
            rapports.append(f"{chemin}:\n{resultat.generate_report()}")
    assert not rapports, "\n\n".join(rapports)
