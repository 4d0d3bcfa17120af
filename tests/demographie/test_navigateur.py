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


def test_pages_demographie_accessibles(live_server, effectifs_martinique, pages_editoriales):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Le paquet Debian chromium est requis (make test l'installe).")
    chemins = ["/demographie/", "/demographie/region/02/",
               "/demographie/departement/972/?profession=infirmier"]  # fmt: skip
    sortie = subprocess.run(
        [sys.executable, "-c", SCRIPT, live_server.url, chromium, json.dumps(CHROMIUM_ARGS),
         json.dumps(WCAG_A_AA), json.dumps(chemins)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    resultat = json.loads(sortie.stdout.strip().splitlines()[-1])
    assert not resultat["rapports"], "\n\n".join(resultat["rapports"])
    assert resultat["titres"] == 4  # pyramid, evolution, comparison, map
