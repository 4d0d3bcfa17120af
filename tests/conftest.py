import os

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django must allow DB access there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _reglages_de_test(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A real cache (allauth's rate limits need one), kept in memory so tests need no database.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": settings.CACHES["pages"],  # whole anonymous pages (guichet.cache_pages)
    }


@pytest.fixture(autouse=True)
def _cache_vide(_reglages_de_test):
    """allauth's rate limits live in the cache: each test starts with fresh counters."""
    from django.core.cache import cache, caches

    from guichet.memoire import tout_oublier

    cache.clear()
    caches["pages"].clear()  # a rolled-back test's pages may carry its content's version
    tout_oublier()  # DSFR site configuration, option lists and aid references of the process
    yield
    cache.clear()
    caches["pages"].clear()


@pytest.fixture
def pages_editoriales(db):
    """Default pages (a transactional test's flush removes what post_migrate created)."""
    from guichet.pages_par_defaut import creer_pages_manquantes

    creer_pages_manquantes()


@pytest.fixture(scope="session")
def territoires_complets(django_db_setup, django_db_blocker):
    """The real 34,875 communes, loaded once for the whole session."""
    with django_db_blocker.unblock():
        call_command("import_territoires", verbosity=0)
