"""Settings of the app servers started by tests/production/test_plusieurs_serveurs.py: the
production settings, read from the same environment, with static files served without a
collectstatic manifest (the test servers never run collectstatic)."""

from guichet.settings import *  # noqa: F403
from guichet.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
