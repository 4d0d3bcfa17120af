"""Every table of public content has a statement-level trigger bumping its content version
(guichet.versions): a table added later without one fails here, not on a stale page."""

import pytest
from django.apps import apps
from django.db import connection

from demographie import synthese
from guichet.versions import DEMOGRAPHIE, EFFECTIFS, versions

pytestmark = pytest.mark.django_db

APPS_DE_CONTENU = ("aides", "installation", "rendezvous", "demographie", "opportunites")
# Tables of these apps no public page keeps in a cache, with the reason.
SANS_VERSION = {
    "aides_simulationenregistree": "a user's own saved simulations, read per request",
    "installation_plan": "a user's own plan, read per request",
    "installation_suivietape": "a user's own plan, read per request",
    "installation_notification": "reminders sent to the public, never shown on a page",
    "opportunites_messageopportunite": "messages to a post's author, never public",
    "opportunites_alerte": "a user's own saved searches, read per request",
    "opportunites_envoialertes": "the digest job's record of what it sent, never shown",
}


def _tables_versionnees() -> dict[str, set[str]]:
    with connection.cursor() as curseur:
        curseur.execute(
            """SELECT c.relname, t.tgargs FROM pg_trigger t
               JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
               WHERE p.proname = 'guichet_version_contenu' AND NOT t.tgisinternal
               AND t.tgtype & 1 = 0"""  # statement level (bit 0 unset)
        )
        zones: dict[str, set[str]] = {}
        for table, args in curseur.fetchall():
            zones.setdefault(table, set()).add(bytes(args).rstrip(b"\0").decode())
        return zones


def test_chaque_table_de_contenu_a_son_declencheur():
    versionnees = _tables_versionnees()
    tables = {
        modele._meta.db_table
        for app in APPS_DE_CONTENU
        for modele in apps.get_app_config(app).get_models(include_auto_created=True)
        if modele._meta.managed and not modele._meta.proxy
    }
    manquantes = sorted(tables - set(versionnees) - set(SANS_VERSION))
    assert manquantes == [], manquantes


def test_zones_des_tables_du_socle():
    versionnees = _tables_versionnees()
    assert versionnees["installation_plageouverture"] == {"agenda"}
    assert versionnees["opportunites_opportunite"] == {"opportunites"}
    assert versionnees["guichet_pageeditoriale"] == {"pages"}
    assert {"aides", "demographie", "pages"} <= versionnees["guichet_commune"]
    assert versionnees["demographie_synthese"] == {"demographie"}
    assert versionnees["demographie_bulletin"] == {"demographie"}
    assert versionnees["guichet_user"] == {"agenda", "espace"}
    assert versionnees["guichet_user_regions"] == {"espace"}
    assert versionnees["espace_question"] == {"espace"}
    assert versionnees["guichet_jeudedonnees"] == {"pages"}
    assert versionnees["django_site"] == {"pages"}


def test_la_synthese_recalculee_change_la_version_des_pages_pas_celle_des_effectifs():
    """The summary bumps "demographie", never "effectifs", the version it records having been
    built from: a rebuild leaves it up to date (no rebuild at every read)."""
    avant = versions(DEMOGRAPHIE, EFFECTIFS)
    synthese.recalculer()
    apres = versions(DEMOGRAPHIE, EFFECTIFS)
    assert apres[0] != avant[0] and apres[1] == avant[1]
    assert synthese.assurer_a_jour() is False
