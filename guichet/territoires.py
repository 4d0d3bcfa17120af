"""Derivation and loading of the territories (Code officiel géographique, INSEE via Etalab).

The derived files live in fixtures/territoires/ (see its README for provenance and licence):
the portal never reads the source data at run time.
"""

import csv
import gzip
import hashlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from guichet import geo
from guichet.fuseaux import FUSEAU_PAR_DEFAUT, FUSEAUX_REGIONS
from guichet.imports import ErreurImport
from guichet.models import Commune, Departement, JeuDeDonnees, Region

DOSSIER = Path(settings.BASE_DIR) / "fixtures" / "territoires"
FICHIER_REGIONS = DOSSIER / "regions.csv"
FICHIER_DEPARTEMENTS = DOSSIER / "departements.csv"
FICHIER_COMMUNES = DOSSIER / "communes.csv.gz"
JEU = "territoires"

# The 13 metropolitan regions and the 5 overseas regions that have an ARS.
REGIONS_ARS = {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75",
               "76", "84", "93", "94"}  # fmt: skip


def deriver(source: Path, cible: Path = DOSSIER) -> dict[str, int]:
    """Write the compact CSV files of fixtures/territoires/ from the Etalab JSON files."""
    regions = [r for r in _lire_json(source / "regions.json") if r["code"] in REGIONS_ARS]
    departements = [
        d for d in _lire_json(source / "departements.json") if d["region"] in REGIONS_ARS
    ]
    codes_dep = {d["code"] for d in departements}
    communes = [
        c
        for c in _lire_json(source / "communes.json")
        if c.get("type") == "commune-actuelle" and c.get("departement") in codes_dep
    ]
    cible.mkdir(parents=True, exist_ok=True)
    with open(cible / FICHIER_REGIONS.name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code", "nom", "fuseau_horaire", "outre_mer"])
        for r in sorted(regions, key=lambda r: r["code"]):
            fuseau = FUSEAUX_REGIONS.get(r["code"], FUSEAU_PAR_DEFAUT)
            w.writerow([r["code"], r["nom"], fuseau, int(r["zone"] == "drom")])
    with open(cible / FICHIER_DEPARTEMENTS.name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code", "nom", "region"])
        for d in sorted(departements, key=lambda d: d["code"]):
            w.writerow([d["code"], d["nom"], d["region"]])
    texte = io.StringIO()
    w = csv.writer(texte, delimiter=";", lineterminator="\n")
    w.writerow(["code", "nom", "departement", "codes_postaux", "population"])
    for c in sorted(communes, key=lambda c: c["code"]):
        population = c.get("population")
        w.writerow(
            [
                c["code"],
                c["nom"],
                c["departement"],
                " ".join(c.get("codesPostaux", [])),
                "" if population is None else population,
            ]
        )
    # mtime=0: the same source gives byte-identical output.
    with gzip.GzipFile(cible / FICHIER_COMMUNES.name, "wb", mtime=0) as f:
        f.write(texte.getvalue().encode("utf-8"))
    return {"regions": len(regions), "departements": len(departements), "communes": len(communes)}


def _lire_json(chemin: Path):
    with open(chemin, encoding="utf-8") as f:
        return json.load(f)


def empreinte() -> str:
    h = hashlib.sha256()
    # The outlines give the communes' centroids: a new derivation reloads them.
    for chemin in (FICHIER_REGIONS, FICHIER_DEPARTEMENTS, FICHIER_COMMUNES, geo.FICHIER_CONTOURS):
        h.update(chemin.read_bytes())
    return h.hexdigest()


def _importer_communes(lignes: list[dict], progression: Callable[[str], None]) -> int:
    """Save the checked communes by batches of 5,000, with their centroid; returns their number."""
    positions = geo.centroides()
    total = 0
    lot = []
    for ligne in lignes:
        codes_postaux = ligne["codes_postaux"].split()
        latitude, longitude = positions.get(ligne["code"], (None, None))
        lot.append(
            Commune(
                code=ligne["code"],
                nom=ligne["nom"],
                departement_id=ligne["departement"],
                codes_postaux=codes_postaux,
                codes_postaux_prefixe=codes_postaux[0] if codes_postaux else "",
                population=int(ligne["population"]) if ligne["population"] else None,
                latitude=latitude,
                longitude=longitude,
            )
        )
        if len(lot) == 5000:
            total += _enregistrer_communes(lot)
            progression(f"{total} communes…")
            lot = []
    total += _enregistrer_communes(lot)
    progression(f"{total} communes")
    return total


def importer(*, force: bool = False, progression: Callable[[str], None] = lambda m: None) -> dict:
    """Load the territories, all or nothing. Skips the work when this version is already loaded."""
    signature = empreinte()
    if not force and JeuDeDonnees.objects.est_charge(JEU, signature):
        return {"deja_charge": True}
    with transaction.atomic():
        regions = [
            Region(
                code=r["code"],
                nom=r["nom"],
                fuseau_horaire=r["fuseau_horaire"],
                outre_mer=r["outre_mer"] == "1",
            )
            for r in _lire_csv(FICHIER_REGIONS.read_text(encoding="utf-8"))
        ]
        Region.objects.bulk_create(
            regions,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["nom", "fuseau_horaire", "outre_mer"],
        )
        progression(f"{len(regions)} régions")
        departements = [
            Departement(code=d["code"], nom=d["nom"], region_id=d["region"])
            for d in _lire_csv(FICHIER_DEPARTEMENTS.read_text(encoding="utf-8"))
        ]
        Departement.objects.bulk_create(
            departements,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["nom", "region"],
        )
        progression(f"{len(departements)} départements")
        lignes = _lire_csv(gzip.decompress(FICHIER_COMMUNES.read_bytes()).decode("utf-8"))
        _verifier_communes(lignes, {d.code for d in departements})
        total = _importer_communes(lignes, progression)
        JeuDeDonnees.objects.marquer_charge(JEU, signature)
    return {"regions": len(regions), "departements": len(departements), "communes": total}


def _verifier_communes(lignes: list[dict], departements: set[str]) -> None:
    erreurs = []
    for numero, ligne in enumerate(lignes, start=2):  # line 1 is the header
        if not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", ligne.get("code") or ""):
            erreurs.append(f"ligne {numero} : code INSEE invalide « {ligne.get('code')} »")
        if ligne.get("departement") not in departements:
            erreurs.append(f"ligne {numero} : département inconnu « {ligne.get('departement')} »")
        if not (ligne.get("nom") or "").strip():
            erreurs.append(f"ligne {numero} : nom manquant")
        if ligne.get("population") and not ligne["population"].isdigit():
            erreurs.append(f"ligne {numero} : population invalide « {ligne['population']} »")
    if erreurs:
        raise ErreurImport(erreurs)


def _enregistrer_communes(lot: list[Commune]) -> int:
    Commune.objects.bulk_create(
        lot,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "nom",
            "departement",
            "codes_postaux",
            "codes_postaux_prefixe",
            "population",
            "latitude",
            "longitude",
        ],
    )
    return len(lot)


def _lire_csv(texte: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(texte), delimiter=";"))
