"""Long public pages stay a few screens high: their long tables and lists are folded in DSFR
accordions, still reachable by keyboard and announced (aria-expanded) to screen readers.

Measured on the demo data (`make run`), before → after, page height in px:
Creuse demography 34,660 → 4,600 (1280 px wide), 40,377 → 7,893 (390 px);
Felletin 10,004 → 5,110 (1280 px), 19,185 → 7,497 (390 px).
"""

import pytest
from playwright.sync_api import expect

from demographie.models import Effectif, Population
from guichet.models import Commune
from tests.aides.factories import AideFactory, ZonageFactory
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EffectifFactory,
    PopulationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.installation.factories import ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ECRANS = {1280: (900, 6), 390: (844, 10)}  # viewport height, screens at most
PROFESSIONS = ["medecin-generaliste", "medecin-specialiste", "chirurgien-dentiste", "sage-femme",
               "infirmier", "masseur-kinesitherapeute", "pharmacien", "orthophoniste",
               "orthoptiste", "pedicure-podologue"]  # fmt: skip


@pytest.fixture
def creuse(pages_editoriales):
    """A département of 150 communes, each with its general practitioners and population;
    its commune 23079 with zoning for ten professions, twelve aids and twelve contacts."""
    dep = DepartementFactory(code="23", nom="Creuse", region=RegionFactory(code="75"))
    EffectifFactory(departement=dep, effectif=120)
    PopulationFactory(departement=dep, population=115_000)
    # Built by the factories, written in three statements (one save each took 4 s a test);
    # the real communes of these codes are kept when a flush has not removed them yet.
    source = SourceFactory()
    communes = Commune.objects.bulk_create(
        (
            CommuneFactory.build(code=f"23{i:03d}", nom=f"Commune {i}", departement=dep)
            for i in range(1, 151)
        ),
        ignore_conflicts=True,
    )
    cellules = {"niveau": "commune", "departement": dep}
    Effectif.objects.bulk_create(
        EffectifFactory.build(
            **cellules, commune=c, code_territoire=c.code, effectif=i % 7, source=source
        )
        for i, c in enumerate(communes, start=1)
    )
    Population.objects.bulk_create(
        PopulationFactory.build(**cellules, commune=c, code_territoire=c.code, population=500 + i)
        for i, c in enumerate(communes, start=1)
    )
    felletin = CommuneFactory(code="23079", nom="Felletin", departement=dep)
    for profession in PROFESSIONS:
        ZonageFactory(commune=felletin, profession=profession, niveau="zip", fictif=True)
    for i in range(12):
        AideFactory(nom=f"Aide à l'installation numéro {i} dans les zones sous-dotées")
        ContactFactory(departement=dep, intitule=f"Partenaire de l'installation {i}")
    return dep


def _hauteur(page, chemin, largeur):
    hauteur_ecran, _ = ECRANS[largeur]
    page.set_viewport_size({"width": largeur, "height": hauteur_ecran})
    page.goto(chemin)
    page.wait_for_function("document.documentElement.dataset.frJs === 'true'")
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.parametrize("largeur", [1280, 390])
@pytest.mark.parametrize("chemin", ["/demographie/departement/23/", "/communes/23079/"])
def test_une_page_longue_tient_en_quelques_ecrans(page, creuse, chemin, largeur):
    hauteur_ecran, ecrans = ECRANS[largeur]
    hauteur = _hauteur(page, chemin, largeur)
    assert hauteur <= ecrans * hauteur_ecran, f"{chemin} à {largeur} px : {hauteur} px"


@pytest.mark.parametrize("chemin", ["/demographie/departement/23/", "/communes/23079/"])
def test_les_tableaux_replies_restent_atteignables_au_clavier(page, creuse, chemin):
    _hauteur(page, chemin, 1280)
    boutons = page.locator(".repli .fr-accordion__btn")
    assert boutons.count() >= 3
    for i in range(boutons.count()):
        bouton = boutons.nth(i)
        assert bouton.get_attribute("aria-expanded") == "false"
        contenu = page.locator("#" + bouton.get_attribute("aria-controls"))
        assert not contenu.is_visible()
        bouton.focus()
        page.keyboard.press("Enter")
        expect(bouton).to_have_attribute("aria-expanded", "true")
        expect(contenu).to_be_visible()
    # every folded row is there once opened: the 150 communes of the département
    if "demographie" in chemin:
        assert page.locator("#repli-sous-territoires tbody tr").count() == 150


def test_sans_javascript_tout_reste_lisible(navigateur, live_server, creuse):
    contexte = navigateur.new_context(base_url=live_server.url, java_script_enabled=False)
    page = contexte.new_page()
    page.goto("/demographie/departement/23/")
    assert page.locator("#repli-sous-territoires tbody tr").first.is_visible()
    page.goto("/communes/23079/")
    assert page.locator("#contacts-partenaires").is_visible()
    contexte.close()


# Every data cell of the page's tables that holds a number (1 234, 12,5, 3 %) is aligned right
# (row headers are labels: a year, an age band).
NOMBRES_A_GAUCHE_JS = r"""() => {
  const fautes = [];
  for (const table of document.querySelectorAll("main table")) {
    for (const ligne of table.rows) {
      for (const cellule of ligne.querySelectorAll("td")) {
        const texte = cellule.textContent.trim();
        if (/^[−+-]?\d[\d\s\u202f\u00a0]*(,\d+)?\s*%?$/.test(texte)
            && getComputedStyle(cellule).textAlign !== "right") {
          fautes.push(table.caption.textContent.trim() + " : " + texte);
        }
      }
    }
  }
  return fautes;
}"""


@pytest.mark.parametrize("chemin", ["/demographie/departement/23/", "/communes/23079/"])
def test_les_nombres_sont_alignes_a_droite(page, creuse, chemin):
    _hauteur(page, chemin, 1280)
    assert page.evaluate(NOMBRES_A_GAUCHE_JS) == []
