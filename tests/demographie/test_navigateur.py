"""axe-core on the demography pages with data (the site-wide crawl sees them empty), in the
session's Chromium like every browser test."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_accessibilite import WCAG_A_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_demographie_accessibles(page, communes_martinique, pages_editoriales):
    chemins = ["/demographie/", "/demographie/region/02/",
               "/demographie/departement/972/?profession=infirmier"]  # fmt: skip
    rapports = []
    for chemin in chemins:
        page.goto(chemin)
        resultat = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
        if resultat.violations_count:
            rapports.append(chemin + ":\n" + resultat.generate_report())
    page.goto("/demographie/")
    page.get_by_role("link", name="Martinique").click()
    page.wait_for_url("**/demographie/region/02/")
    assert not rapports, "\n\n".join(rapports)
    assert page.locator("svg > title").count() == 4  # pyramid, evolution, comparison, map


MESURES_JS = """() => {
  const defauts = [];
  for (const table of document.querySelectorAll("main table")) {
    const lignes = [...table.rows];
    const n = Math.max(...lignes.map(r => r.cells.length));
    for (let i = 0; i < n; i++) {
      const cellules = lignes.map(r => r.cells[i]).filter(c => c && c.textContent.trim());
      const alignements = new Set(cellules.map(c => getComputedStyle(c).textAlign));
      if (alignements.size > 1) defauts.push(table.caption.textContent + " col " + i + " : "
        + [...alignements].join("/"));
    }
  }
  const croisements = [];
  for (const svg of document.querySelectorAll("svg.graphique")) {
    const trait = svg.querySelector("line.reference");
    if (!trait) continue;
    const x = trait.getBoundingClientRect().x;
    for (const t of svg.querySelectorAll("text:not([text-anchor])")) {
      const b = t.getBoundingClientRect();
      if (/^[0-9]/.test(t.textContent) && b.left - 0.5 <= x && x <= b.right + 0.5)
        croisements.push(svg.id + " : " + t.textContent);
    }
  }
  return {defauts, croisements, texte: document.querySelector("main").innerText};
}"""


def test_tableaux_alignes_et_etiquettes_non_barrees(page, communes_martinique, deux_sevres):
    """In the browser: each column's header and values share one alignment, the France tick
    crosses no value label, and the national page never compares France with itself."""
    from tests.factories import EffectifFactory

    EffectifFactory(departement=deux_sevres, effectif=60)
    chemins = ["/demographie/region/02/", "/demographie/france/FR/",
               "/demographie/departement/79/"]  # fmt: skip
    resultats = {}
    for chemin in chemins:
        page.goto(chemin)
        resultats[chemin] = page.evaluate(MESURES_JS)
    for chemin, r in resultats.items():
        assert not r["defauts"], (chemin, r["defauts"])
        assert not r["croisements"], (chemin, r["croisements"])
    national = resultats["/demographie/france/FR/"]["texte"]
    # the regions are compared with France, France never with itself
    assert "Densité France" not in national and "+0,0 %" not in national
    assert "+0,0\u00a0%" not in national
    assert "Carte des densités" in national
