"""The commune page's tables fit the screen: nothing cut off nor scrolling sideways."""

import pytest

from tests.aides.factories import ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every table container of the page whose content is wider than its box (it would scroll).
DEBORDEMENTS_JS = """() => [...document.querySelectorAll('.fr-table__container')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.querySelector('caption')?.textContent.trim() + ' : ' + e.scrollWidth + ' > '
            + e.clientWidth)"""


@pytest.mark.parametrize("largeur", [1280, 390])
def test_tableau_du_zonage_sans_defilement_ni_colonne_coupee(page, pages_editoriales, largeur):
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=RegionFactory(code="75"))
    niort = CommuneFactory(code="79191", nom="Niort", departement=dep, codes_postaux=["79000"])
    longue = "Arrêté du directeur général de l'ARS Nouvelle-Aquitaine relatif à la détermination "
    for profession, niveau in [
        ("medecin-generaliste", "zac"),
        ("infirmier", "intermediaire"),
        ("masseur-kinesitherapeute", "tres-sous-dotee"),
    ]:
        ZonageFactory(
            commune=niort,
            profession=profession,
            niveau=niveau,
            fictif=True,
            source=longue + "des zones (publication au recueil des actes)",
        )
    page.set_viewport_size({"width": largeur, "height": 900})
    page.goto("/communes/79191/")
    assert page.evaluate(DEBORDEMENTS_JS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= largeur
    # the decree (date and source) is on screen, inside the viewport's width
    arrete = page.get_by_text("Arrêté du 1er janvier 2025", exact=False).first
    boite = arrete.bounding_box()
    assert boite and boite["x"] >= 0 and boite["x"] + boite["width"] <= largeur
