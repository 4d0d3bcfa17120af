import hashlib
import os
import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django must allow DB access there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Long tests (marked ``longue``) first. pytest-django then groups the tests by database use
    with a stable sort (plain, transactional, none): each long test heads its group. The
    Makefile hands tests out two at a time (``--maxschedchunk``), in that order: a long test
    started last would leave the other worker idle for its whole duration."""
    items.sort(key=lambda item: item.get_closest_marker("longue") is None)


@pytest.fixture(autouse=True, scope="session")
def _hachage_rapide():
    """Passwords hashed with MD5 in the tests: production's PBKDF2 (1,000,000 iterations) costs
    0.27 s of CPU per user a factory creates and per login, two thirds of tests/espace's time.
    What the tests check of passwords (the right one logs in, the hash stays out of the audit
    trail, signup hashes as much for a known address as for a new one) does not depend on the
    algorithm; production's setting is unchanged. Session-wide, so module-scoped datasets (the
    demo's accounts) are covered too."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _widgets_sans_signal(django_test_environment):
    """Django's form widgets rendered without the test signal. In the tests every template
    rendered sends ``template_rendered`` and the test client keeps a copy of its context; an
    admin form renders each option of a select through two templates (``select_option.html``,
    ``attrs.html``): 500 signals and context copies a page, a quarter of the isolation matrix's
    time (30 → 22 s on three of its models). No test reads a widget's template or context;
    every other template still sends the signal (``response.templates``, ``response.context``)."""
    from django.template.base import Template
    from django.test.utils import instrumented_test_render

    def rendu(self, context):
        nom = self.origin.template_name
        if isinstance(nom, str) and nom.startswith("django/forms/widgets/"):
            return self.nodelist.render(context)
        return instrumented_test_render(self, context)

    Template._render = rendu
    yield
    Template._render = instrumented_test_render


@pytest.fixture(autouse=True)
def _reglages_de_test(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CUMULS_DELAI = 0  # each request writes its usage counts (guichet.cumuls)
    # Static files looked up when asked for, not indexed when a test client starts: every new
    # Client() loads the middleware, and whitenoise indexed the 10,000 collected files each time.
    settings.WHITENOISE_AUTOREFRESH = True
    # A real cache (allauth's rate limits need one), kept in memory so tests need no database.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": settings.CACHES["pages"],  # whole anonymous pages (guichet.cache_pages)
        "pages_grandes": settings.CACHES["pages_grandes"],
    }


@pytest.fixture(autouse=True)
def _cache_vide(_reglages_de_test):
    """allauth's rate limits live in the cache: each test starts with fresh counters."""
    from django.core.cache import cache, caches

    from guichet import cumuls
    from guichet.cache import tout_oublier

    cache.clear()
    caches["pages"].clear()  # a rolled-back test's pages may carry its content's version
    caches["pages_grandes"].clear()
    tout_oublier()  # what the process keeps (guichet.cache): fragments, option lists, slots
    cumuls.oublier()  # counts a rolled-back test left pending
    yield
    cache.clear()
    caches["pages"].clear()
    caches["pages_grandes"].clear()


@pytest.fixture
def pages_editoriales(db):
    """Default pages (a transactional test's flush removes what post_migrate created)."""
    from guichet.pages_par_defaut import creer_pages_manquantes

    creer_pages_manquantes()


# -- Test databases: migrated and loaded with the territories once, cloned for every worker.
#
# The template database holds the migrated schema, what post_migrate creates (sites, roles,
# default pages) and the 34,875 communes. It is named after a fingerprint of everything that
# shapes its content (the project's code, the territory files, the dependencies), so a later run
# of the same code clones it in about a second instead of migrating and importing again; a
# template built for other code is dropped when the new one is built. PostgreSQL's advisory
# lock makes one pytest-xdist worker build it while the others wait, then each clones it
# (CREATE DATABASE ... TEMPLATE). --create-db rebuilds it.

VERROU_MODELE = 0x6775_6963_6865_74  # pg_advisory_lock key: "guichet"
FICHIERS_DU_MODELE = ["fixtures/territoires", "fixtures/geo", "requirements-dev.lock",
                      "tests/conftest.py"]  # fmt: skip


def _empreinte_du_modele() -> str:
    racine = Path(django_settings.BASE_DIR)
    chemins = [racine / nom for nom in FICHIERS_DU_MODELE]
    for app in django_settings.INSTALLED_APPS:
        dossier = racine / app.split(".")[0]
        if (dossier / "__init__.py").exists() and dossier not in chemins:
            chemins.append(dossier)
    # What post_migrate writes (the Site row) depends on these settings too.
    reglages = [django_settings.SITE_URL, django_settings.SITE_ID, django_settings.PORTAIL_NOM]
    empreinte = hashlib.sha256(repr(reglages).encode())
    for chemin in chemins:
        fichiers = sorted(chemin.rglob("*")) if chemin.is_dir() else [chemin]
        for fichier in fichiers:
            if fichier.is_file() and "__pycache__" not in fichier.parts:
                empreinte.update(str(fichier.relative_to(racine)).encode() + b"\0")
                empreinte.update(fichier.read_bytes())
    return empreinte.hexdigest()[:12]


def _construire_le_modele(connection, modele: str) -> None:
    """Migrate a new database, load the territories, then publish it under the template's name
    (a build that fails leaves no template behind)."""
    chantier = f"{modele}_chantier"
    reglages = connection.settings_dict
    nom_initial, nom_du_test = reglages["NAME"], reglages["TEST"].get("NAME")
    reglages["TEST"]["NAME"] = chantier
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        call_command("import_territoires", verbosity=0)
    finally:
        connection.close()
        reglages["NAME"], reglages["TEST"]["NAME"] = nom_initial, nom_du_test
        django_settings.DATABASES[connection.alias]["NAME"] = nom_initial
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{chantier}" RENAME TO "{modele}"')


def _construit_par(cursor, modele: str) -> str | None:
    """The run that built the template (its comment)."""
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [modele],
    )
    ligne = cursor.fetchone()
    return ligne[0] if ligne else None


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb,
                    django_db_createdb, django_db_modify_db_settings):  # fmt: skip
    """pytest-django's test database, cloned from the template (built first when missing)."""
    from django.db import connections
    from django.test.utils import teardown_databases

    connection = connections["default"]
    nom_initial = connection.settings_dict["NAME"]
    nom_du_test = connection.creation._get_test_db_name()
    xdist = getattr(request.config, "workerinput", {})
    travailleur = xdist.get("workerid")
    execution = xdist.get("testrunuid") or uuid.uuid4().hex  # --create-db: one build per run
    base = nom_du_test.removesuffix(f"_{travailleur}") if travailleur else nom_du_test
    modele = f"{base}_modele_{_empreinte_du_modele()}"
    with django_db_blocker.unblock():
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [VERROU_MODELE])
            try:
                if django_db_createdb and _construit_par(cursor, modele) != execution:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{modele}"')
                if not connection.creation._database_exists(cursor, modele):
                    cursor.execute(
                        "SELECT datname FROM pg_database WHERE datname LIKE %s",
                        [base.replace("_", r"\_") + r"\_modele\_%"],
                    )
                    for (ancien,) in cursor.fetchall():  # built for other code
                        cursor.execute(f'DROP DATABASE IF EXISTS "{ancien}"')
                    _construire_le_modele(connection, modele)
                    cursor.execute(f"COMMENT ON DATABASE \"{modele}\" IS '{execution}'")
                cursor.execute(f'DROP DATABASE IF EXISTS "{nom_du_test}"')
                cursor.execute(f'CREATE DATABASE "{nom_du_test}" TEMPLATE "{modele}"')
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [VERROU_MODELE])
        django_settings.DATABASES[connection.alias]["NAME"] = nom_du_test
        connection.settings_dict["NAME"] = nom_du_test
        # The page cache reads the catalogue's version triggers once per process: read here,
        # so a test's query count never depends on whether an earlier test read it.
        from guichet.cache_pages import _tables_couvertes

        _tables_couvertes()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases([(connection, nom_initial, True)], verbosity=0)


@pytest.fixture(scope="session")
def territoires_complets(django_db_setup, django_db_blocker):
    """The real 34,875 communes: in the template every test database is cloned from (a
    transactional test's flush empties them: pytest-django runs those tests last). Checked
    once per worker, loaded again if its database ever lacks them."""
    from guichet.models import JeuDeDonnees

    with django_db_blocker.unblock():
        if not JeuDeDonnees.objects.filter(nom="territoires").exists():
            call_command("import_territoires", "--force", verbosity=0)


# -- Browser tests: one Chromium per process (each xdist worker), a fresh context per test.

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
