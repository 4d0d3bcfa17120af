"""axe-core on the demography pages with data (the site-wide crawl sees them empty)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import navigateur, page  # noqa: F401 - pytest fixtures
from tests.browser.test_accessibilite import WCAG_A_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_demographie_accessibles(page, effectifs_martinique, pages_editoriales):  # noqa: F811
    axe = Axe()
    rapports = []
    for chemin in ["/demographie/", "/demographie/region/02/",
                   "/demographie/departement/972/?profession=infirmier"]:  # fmt: skip
        page.goto(chemin)
        resultat = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
        if resultat.violations_count:
            rapports.append(f"{chemin}:\n{resultat.generate_report()}")
    assert not rapports, "\n\n".join(rapports)
    page.goto("/demographie/")
    page.get_by_role("link", name="Martinique").click()
    page.wait_for_url("**/demographie/region/02/")
    assert page.locator("svg title").count() == 3
