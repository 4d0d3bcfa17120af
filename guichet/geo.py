"""Positions and distances without PostGIS: commune centroids and great-circle distances.

Centroids are derived once from the outlines already shipped in ``fixtures/geo/communes.csv.gz``
(see its README: SVG paths in hectometres, Lambert-93 for metropolitan France, a local
equirectangular projection per overseas département, y pointing down): the area-weighted
centroid of each outline, projected back to latitude and longitude (WGS 84). The territory
import stores them on the commune.

A radius search is a bounding box on the indexed latitude and longitude, then the haversine
distance computed by core PostgreSQL (``distance_km``). France, overseas included, lies far
from the antimeridian and the poles: the box never wraps.
"""

import csv
import gzip
import io
import math
import re
from pathlib import Path

from django.conf import settings
from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

FICHIER_CONTOURS = Path(settings.BASE_DIR) / "fixtures" / "geo" / "communes.csv.gz"
RAYON_TERRE_KM = 6371.0088  # mean Earth radius (IUGG)
RAYON_TERRE_CONTOURS_M = 6371000.0  # the radius demographie.contours used for the overseas
UNITE_M = 100  # metres per outline unit
DROM = {"971", "972", "973", "974", "976"}


# -- great-circle distance ---------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * RAYON_TERRE_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(latitude: str, longitude: str, lat: float, lon: float):
    """The haversine distance in km from (lat, lon) to the row's fields, as a SQL expression."""
    phi = Radians(F(latitude))
    phi0 = math.radians(lat)
    dphi = (phi - Value(phi0)) / 2
    dlam = (Radians(F(longitude)) - Value(math.radians(lon))) / 2
    a = Power(Sin(dphi), 2) + Value(math.cos(phi0)) * Cos(phi) * Power(Sin(dlam), 2)
    return Value(2 * RAYON_TERRE_KM) * ASin(Least(Value(1.0), Sqrt(a)), output_field=FloatField())


def boite(lat: float, lon: float, rayon_km: float) -> dict:
    """The latitude and longitude bounds holding every point within ``rayon_km`` (a little
    more: the box is a cheap, indexed first cut before the exact distance)."""
    dlat = math.degrees(rayon_km / RAYON_TERRE_KM)
    # The widest longitude span of the circle is at its latitude nearest a pole.
    lat_max = min(89.0, abs(lat) + dlat)
    dlon = min(180.0, math.degrees(rayon_km / (RAYON_TERRE_KM * math.cos(math.radians(lat_max)))))
    return {
        "lat_min": lat - dlat,
        "lat_max": lat + dlat,
        "lon_min": lon - dlon,
        "lon_max": lon + dlon,
    }


def filtrer_rayon(qs, lat: float, lon: float, rayon_km: float, *, prefixe: str = ""):
    """Rows of ``qs`` whose position (``<prefixe>latitude``/``longitude``) is within
    ``rayon_km`` of (lat, lon), annotated with ``distance_km``. The bounding box is a range on
    the indexed columns; the exact distance is then computed on those rows only."""
    b = boite(lat, lon, rayon_km)
    latitude, longitude = f"{prefixe}latitude", f"{prefixe}longitude"
    return (
        qs.filter(
            **{
                f"{latitude}__gte": b["lat_min"],
                f"{latitude}__lte": b["lat_max"],
                f"{longitude}__gte": b["lon_min"],
                f"{longitude}__lte": b["lon_max"],
            }
        )
        .annotate(distance_km=distance_km(latitude, longitude, lat, lon))
        .filter(distance_km__lte=rayon_km)
    )


# -- centroids from the outlines -----------------------------------------------------------------


def lambert93_vers_wgs84(x: float, y: float) -> tuple[float, float]:
    """Inverse of Lambert-93 (EPSG:2154, conformal conic on GRS80): (longitude, latitude)."""
    a, e = 6378137.0, 0.0818191910428158
    phi1, phi2, phi0, lam0 = (math.radians(v) for v in (44, 49, 46.5, 3))

    def m(phi):
        return math.cos(phi) / math.sqrt(1 - (e * math.sin(phi)) ** 2)

    def t(phi):
        es = e * math.sin(phi)
        return math.tan(math.pi / 4 - phi / 2) / ((1 - es) / (1 + es)) ** (e / 2)

    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    f = m(phi1) / (n * t(phi1) ** n)
    rho0 = a * f * t(phi0) ** n
    dx, dy = x - 700000, rho0 - (y - 6600000)
    rho = math.copysign(math.hypot(dx, dy), n)
    tt = (rho / (a * f)) ** (1 / n)
    lam = math.atan2(dx, dy) / n + lam0
    phi = math.pi / 2 - 2 * math.atan(tt)
    for _ in range(10):  # converges to well under a millimetre in a few steps
        es = e * math.sin(phi)
        phi = math.pi / 2 - 2 * math.atan(tt * ((1 - es) / (1 + es)) ** (e / 2))
    return math.degrees(lam), math.degrees(phi)


_ANNEAU = re.compile(r"M(-?\d+) (-?\d+)l([-\d ]*)z")


def anneaux(chemin: str) -> list[list[tuple[int, int]]]:
    """The rings of an outline's SVG path (absolute first point, then relative moves)."""
    resultat = []
    for x0, y0, pas in _ANNEAU.findall(chemin):
        x, y = int(x0), int(y0)
        points = [(x, y)]
        nombres = [int(v) for v in pas.split()]
        for dx, dy in zip(nombres[::2], nombres[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        resultat.append(points)
    return resultat


def _moments(points) -> tuple[float, float, float]:
    """Signed area and first moments of a closed ring (shoelace formula)."""
    aire = sx = sy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        c = x1 * y2 - x2 * y1
        aire += c
        sx += (x1 + x2) * c
        sy += (y1 + y2) * c
    return aire / 2, sx / 6, sy / 6


def _dedans(point, anneau) -> bool:
    """Whether the point lies inside the ring (ray casting)."""
    x, y = point
    dedans = False
    for (x1, y1), (x2, y2) in zip(anneau, anneau[1:] + anneau[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            dedans = not dedans
    return dedans


def _dans_l_anneau(anneau, autre) -> bool:
    """Whether a ring lies inside another. Rings may touch at a vertex (two polygons of one
    commune, an enclave): the vertices they share say nothing, the others vote."""
    communs = set(autre)
    votes = [_dedans(p, autre) for p in anneau if p not in communs]
    return bool(votes) and sum(votes) * 2 > len(votes)


def moments_contour(chemin: str) -> tuple[float, float, float]:
    """Area and first moments of an outline, in outline units.

    The rings' orientations are not consistent (one polygon may turn either way): a ring lying
    inside an odd number of the other rings is a hole and is subtracted, any other adds."""
    rings = anneaux(chemin)
    aire = sx = sy = 0.0
    for i, anneau in enumerate(rings):
        a, mx, my = _moments(anneau)
        signe = 1.0 if a >= 0 else -1.0
        autour = sum(_dans_l_anneau(anneau, autre) for j, autre in enumerate(rings) if j != i)
        if autour % 2:
            signe = -signe
        aire, sx, sy = aire + a * signe, sx + mx * signe, sy + my * signe
    return aire, sx, sy


def _vers_wgs84(x_m: float, y_m: float, zone: str, lat_ref: float) -> tuple[float, float]:
    """(latitude, longitude) of a point in the outlines' projection (metres, y up)."""
    if zone not in DROM:
        lon, lat = lambert93_vers_wgs84(x_m, y_m)
        return lat, lon
    lat = math.degrees(y_m / RAYON_TERRE_CONTOURS_M)
    lon = math.degrees(x_m / (RAYON_TERRE_CONTOURS_M * math.cos(math.radians(lat_ref))))
    return lat, lon


def centroides(fichier: Path = FICHIER_CONTOURS) -> dict[str, tuple[float, float]]:
    """INSEE code → (latitude, longitude) of the centroid of every commune outline.

    An overseas département's projection is true to scale at the latitude of the centroid of
    all its communes (demographie.contours): that latitude is read back first, exactly, since
    its y axis is the latitude itself."""
    with gzip.open(fichier, "rt", encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(io.StringIO(f.read()), delimiter=";"))
    par_commune: dict[str, tuple[str, float, float, float]] = {}
    totaux: dict[str, list[float]] = {}
    for ligne in lignes:
        aire, sx, sy = moments_contour(ligne["chemin"])
        if aire <= 0:
            continue
        par_commune[ligne["code"]] = (ligne["zone"], aire, sx, sy)
        total = totaux.setdefault(ligne["zone"], [0.0, 0.0])
        total[0] += aire
        total[1] += sy
    lat_ref = {
        zone: math.degrees(-(sy / aire) * UNITE_M / RAYON_TERRE_CONTOURS_M)
        for zone, (aire, sy) in totaux.items()
    }
    resultat = {}
    for code, (zone, aire, sx, sy) in par_commune.items():
        x_m, y_m = sx / aire * UNITE_M, -sy / aire * UNITE_M  # SVG y points down
        lat, lon = _vers_wgs84(x_m, y_m, zone, lat_ref[zone])
        resultat[code] = (round(lat, 5), round(lon, 5))
    return resultat
