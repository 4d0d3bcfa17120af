"""axe-core on the demography pages with data (the site-wide crawl sees them empty).

Chromium is driven from a subprocess: the browser tests' session already runs Playwright's
sync API in this process, and a second instance cannot start in the same thread.
"""

import json
import shutil
import subprocess
import sys

import pytest

from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.test_accessibilite import WCAG_A_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = """
import json, sys
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

base, chromium, args, tags, chemins = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), \\
    json.loads(sys.argv[4]), json.loads(sys.argv[5])
rapports, titres = [], 0
with sync_playwright() as p:
    navigateur = p.chromium.launch(executable_path=chromium, headless=True, args=args)
    page = navigateur.new_page(base_url=base, locale="fr-FR")
    for chemin in chemins:
        page.goto(chemin)
        resultat = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
        if resultat.violations_count:
            rapports.append(chemin + ":\\n" + resultat.generate_report())
    page.goto("/demographie/")
    page.get_by_role("link", name="Martinique").click()
    page.wait_for_url("**/demographie/region/02/")
    titres = page.locator("svg > title").count()
    navigateur.close()
print(json.dumps({"rapports": rapports, "titres": titres}))
"""


def test_pages_demographie_accessibles(live_server, communes_martinique, pages_editoriales):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Le paquet Debian chromium est requis (make test l'installe).")
    chemins = [
        "/demographie/",
        "/demographie/region/02/",
        "/demographie/departement/972/?profession=infirmier",
    ]
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            live_server.url,
            chromium,
            json.dumps(CHROMIUM_ARGS),
            json.dumps(WCAG_A_AA),
            json.dumps(chemins),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    resultat = json.loads(sortie.stdout.strip().splitlines()[-1])
    assert not resultat["rapports"], "\n\n".join(resultat["rapports"])
    assert resultat["titres"] == 4  # pyramid, evolution, comparison, map


MESURES = """
import json, sys
from playwright.sync_api import sync_playwright

base, chromium, args, chemins = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), \\
    json.loads(sys.argv[4])
JS = '''() => {
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
}'''
resultats = {}
with sync_playwright() as p:
    navigateur = p.chromium.launch(executable_path=chromium, headless=True, args=args)
    page = navigateur.new_page(base_url=base, locale="fr-FR")
    for chemin in chemins:
        page.goto(chemin)
        resultats[chemin] = page.evaluate(JS)
    navigateur.close()
print(json.dumps(resultats))
"""


def test_tableaux_alignes_et_etiquettes_non_barrees(live_server, communes_martinique, deux_sevres):
    """In the browser: each column's header and values share one alignment, the France tick
    crosses no value label, and the national page never compares France with itself."""
    from tests.factories import EffectifFactory

    EffectifFactory(departement=deux_sevres, effectif=60)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Le paquet Debian chromium est requis (make test l'installe).")
    chemins = ["/demographie/region/02/", "/demographie/france/FR/", "/demographie/departement/79/"]
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            MESURES,
            live_server.url,
            chromium,
            json.dumps(CHROMIUM_ARGS),
            json.dumps(chemins),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    resultats = json.loads(sortie.stdout.strip().splitlines()[-1])
    for chemin, r in resultats.items():
        assert not r["defauts"], (chemin, r["defauts"])
        assert not r["croisements"], (chemin, r["croisements"])
    national = resultats["/demographie/france/FR/"]["texte"]
    # the regions are compared with France, France never with itself
    assert "Densité France" not in national and "+0,0 %" not in national
    assert "+0,0\u00a0%" not in national
    assert "Carte des densités" in national
