import shutil

import pytest

# Chromium flags for a closed network and a root user (no sandbox, no background traffic).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def navigateur():
    from playwright.sync_api import sync_playwright

    chemin = shutil.which("chromium") or shutil.which("chromium-browser")
    if chemin is None:
        pytest.fail("Le paquet Debian chromium est requis (make test l'installe).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chemin, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(navigateur, live_server):
    contexte = navigateur.new_context(base_url=live_server.url, locale="fr-FR")
    page = contexte.new_page()
    page.set_default_timeout(10_000)
    yield page
    contexte.close()
