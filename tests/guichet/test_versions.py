"""The content versions of the core (guichet.versions): one query for any number of areas, one
global number that changes with every area, the same in every process, bumped by statements the
ORM sends no signal for (queryset update, raw SQL)."""

import pytest
from django.db import connection

from guichet.versions import ZONES, version_globale, versions
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _ecrire(zone: str) -> None:
    """Bump one area the way its triggers do."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT 1 FROM pg_proc WHERE proname = 'guichet_version_contenu'")
        assert curseur.fetchone(), "the one version function exists under the core's name"
        curseur.execute(
            "INSERT INTO aides_versioncontenu (cle, valeur)"
            " VALUES (%s, nextval('aides_versioncontenu_seq'))"
            " ON CONFLICT (cle) DO UPDATE SET valeur = EXCLUDED.valeur",
            [zone],
        )


def test_une_requete_pour_toutes_les_zones(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(versions(*ZONES)) == len(ZONES)
    with django_assert_num_queries(1):
        version_globale()


@pytest.mark.parametrize("zone", ZONES)
def test_la_version_globale_suit_chaque_zone(zone):
    vues = {version_globale()}
    for _ in range(3):
        avant = versions(zone)[0]
        _ecrire(zone)
        assert versions(zone)[0] != avant
        vues.add(version_globale())
    assert len(vues) == 4  # a new global number at each write, never one seen before


def test_la_version_globale_change_meme_si_le_maximum_ne_bouge_pas():
    """Two writers committing out of the order they drew their numbers in: the first zone gets
    the lower number last. The maximum stays the same, the global version does not."""
    _ecrire("pages")
    haut = versions("pages")[0]
    with connection.cursor() as curseur:
        curseur.execute("UPDATE aides_versioncontenu SET valeur = %s WHERE cle = 'pages'", [haut])
        avant = version_globale()
        curseur.execute(
            "INSERT INTO aides_versioncontenu (cle, valeur) VALUES ('aides', %s)"
            " ON CONFLICT (cle) DO UPDATE SET valeur = EXCLUDED.valeur",
            [haut - 1],
        )
    assert version_globale() != avant


def test_une_ecriture_sans_signal_change_la_version():
    region = RegionFactory()
    avant = versions("aides", "demographie")
    type(region).objects.filter(pk=region.pk).update(nom="Autre nom")
    apres = versions("aides", "demographie")
    assert all(a != b for a, b in zip(avant, apres, strict=True))
