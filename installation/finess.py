"""Import of the maisons and centres de santé from the FINESS extract of data.gouv.fr.

The file is « FINESS Extraction du Fichier des établissements » (etalab-cs1100507-stock-*.csv,
https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/): a
semicolon file, Windows-1252 or UTF-8 depending on the edition, whose first line is
``finess;etalab;<version>;<date>``, then one ``structureet`` line per establishment (32 fields:
structureet; nofinesset; nofinessej; rs; rslongue; complrs; compldistrib; numvoie; typvoie;
voie; compvoie; lieuditbp; commune; departement; libdepartement; ligneacheminement; telephone;
telecopie; categetab; libcategetab; categagretab; libcategagretab; siret; codeape; codemft;
libmft; codesph; libsph; dateouv; dateautor; datemaj; numuai) and one ``geolocalisation`` line
per geocoded establishment (geolocalisation; nofinesset; coordxet; coordyet; sourcecoordet;
datemaj), the projection named at the end of ``sourcecoordet`` (``…,LAMBERT_93``).

Only categories 603 (maison de santé, L.6223-3) and 124 (centre de santé) are kept: see
installation.models.CategorieStructure for the nomenclature.

``commune`` is the commune's code within its département (3 characters) and ``departement`` the
FINESS département code: the INSEE code is the two joined (2A/2B included) in metropolitan
France. Overseas, FINESS uses 9A (Guadeloupe), 9B (Martinique), 9C (Guyane), 9D (La Réunion),
9F (Mayotte), whose ``commune`` already starts with the INSEE département's third digit (Ducos:
9B, 207 → 97207; Chirongui: 9F, 606 → 97606, lines of the 2026-05-12 extract). Other codes
(9E Saint-Pierre-et-Miquelon, 9J Wallis-et-Futuna…) are not territories of the portal: a kept
structure there is refused with its line number, never guessed.
"""

import csv
import datetime
import functools
import hashlib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import F

from guichet import geo
from guichet.imports import ErreurImport
from guichet.models import Commune, JeuDeDonnees
from installation.models import CategorieStructure, Structure

JEU = "finess"
CATEGORIES = {c.value for c in CategorieStructure}
CHAMPS_STRUCTURE = 31  # up to datemaj; numuai (the 32nd) is missing from older editions
CHAMPS_GEOLOCALISATION = 5
OUTRE_MER = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9F": "976"}
NUMERO = re.compile(r"[0-9][0-9AB][0-9]{7}")
# A FINESS geocoded address farther than this from its commune's centroid is a geocoding
# error: the commune's centroid is used instead.
ECART_MAX_KM = 40


@dataclass
class Ligne:
    numero: int
    structure: Structure


def code_insee(departement: str, commune: str) -> str | None:
    """The INSEE code of a FINESS (département, commune) pair, or None when it cannot be
    rebuilt with certainty."""
    if not re.fullmatch(r"[0-9]{3}", commune):
        return None
    if departement in OUTRE_MER:
        dep = OUTRE_MER[departement]
        return f"97{commune}" if commune[0] == dep[2] else None
    if re.fullmatch(r"0[1-9]|[1-8][0-9]|9[0-5]|2A|2B", departement):
        return f"{departement}{commune}"
    return None


def _texte(contenu: bytes) -> str:
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        return contenu.decode("cp1252", errors="replace")


def _date(valeur: str) -> datetime.date | None:
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(valeur, format_).date()
        except ValueError:
            continue
    raise ValueError(valeur)


def _adresse(c: list[str]) -> str:
    voie = " ".join(v for v in (c[7], c[10], c[8], c[9]) if v.strip())
    parties = [c[5], voie, c[11], c[15]]
    return ", ".join(" ".join(p.split()) for p in parties if p.strip())[:300]


def _structure(c: list[str], communes: Callable[[], dict[str, Commune]]) -> Structure:
    """The structure of a kept ``structureet`` line (``ValueError`` with the reason)."""
    numero = c[1].strip()
    if not NUMERO.fullmatch(numero):
        raise ValueError(f"numéro FINESS « {numero} » invalide")
    nom = " ".join((c[4] or c[3]).split())
    if not nom:
        raise ValueError(f"établissement {numero} sans raison sociale")
    departement, code_commune = c[13].strip(), c[12].strip()
    insee = code_insee(departement, code_commune)
    if insee is None:
        raise ValueError(
            f"département « {departement} » et commune « {code_commune} » : code INSEE "
            "impossible à reconstituer (territoire hors du guichet ou code inconnu)"
        )
    commune = communes().get(insee)
    if commune is None:
        raise ValueError(f"commune {insee} inconnue du guichet (import_territoires)")
    try:
        ouverte_le = _date(c[28].strip()) if c[28].strip() else None
    except ValueError:
        raise ValueError(f"date d'ouverture « {c[28]} » illisible") from None
    return Structure(
        finess=numero,
        categorie=c[18].strip(),
        nom=nom[:200],
        adresse=_adresse(c),
        commune=commune,
        telephone=c[16].strip()[:20],
        ouverte_le=ouverte_le,
        latitude=commune.latitude,
        longitude=commune.longitude,
        position_adresse=False,
    )


def _positionner(structure: Structure, c: list[str]) -> None:
    """Put the structure at its FINESS geocoded address when it is given in Lambert-93 and
    lies near its commune (``ValueError`` when the coordinates are not numbers)."""
    x, y, source = c[2].strip(), c[3].strip(), c[4].strip().upper()
    if not x or not y:
        return
    try:
        x_m, y_m = float(x), float(y)
    except ValueError:
        raise ValueError(f"coordonnées « {x} ; {y} » illisibles") from None
    if not (math.isfinite(x_m) and math.isfinite(y_m)) or not source.endswith("LAMBERT_93"):
        return
    if structure.commune.departement_id in OUTRE_MER.values():
        return
    lon, lat = geo.lambert93_vers_wgs84(x_m, y_m)
    if structure.commune.situee:
        ecart = geo.haversine_km(lat, lon, structure.commune.latitude, structure.commune.longitude)
        if ecart > ECART_MAX_KM:
            return
    structure.latitude, structure.longitude = round(lat, 6), round(lon, 6)
    structure.position_adresse = True


def _lire_structure(champs, n, communes, gardees, erreurs) -> bool:
    """Keep one ``structureet`` line in ``gardees`` or note its error; True when its category
    is not one the portal keeps (the line is ignored)."""
    if len(champs) < CHAMPS_STRUCTURE:
        erreurs.append(f"ligne {n} : {len(champs)} champs au lieu de 32 pour une ligne structureet")
        return False
    if champs[18].strip() not in CATEGORIES:
        return True
    try:
        structure = _structure(champs, communes)
    except ValueError as e:
        erreurs.append(f"ligne {n} : {e}")
        return False
    if structure.finess in gardees:
        premiere = gardees[structure.finess].numero
        erreurs.append(f"ligne {n} : {structure.finess} déjà lu ligne {premiere}")
        return False
    gardees[structure.finess] = Ligne(n, structure)
    return False


def _positionner_toutes(gardees, positions, erreurs) -> None:
    """Apply each kept structure's ``geolocalisation`` line, noting unreadable ones."""
    for numero, ligne in gardees.items():
        if numero in positions:
            n, champs = positions[numero]
            try:
                _positionner(ligne.structure, champs)
            except ValueError as e:
                erreurs.append(f"ligne {n} : {e}")


def lire(texte: str) -> tuple[list[Structure], dict]:
    """The kept structures of the extract, or ``ErreurImport`` listing every problem."""
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=";")
    erreurs: list[str] = []
    # The portal's communes, read once, at the first structure kept (what its lines need).
    communes = functools.cache(
        lambda: {
            c.code: c for c in Commune.objects.only("code", "departement", "latitude", "longitude")
        }
    )
    gardees: dict[str, Ligne] = {}
    positions: dict[str, tuple[int, list[str]]] = {}
    lues = ignorees = 0
    for champs in lecteur:
        n = lecteur.line_num
        if n == 1:
            if champs[:2] != ["finess", "etalab"]:
                erreurs.append(
                    "ligne 1 : en-tête « finess;etalab;… » attendu : ce fichier n'est pas "
                    "l'extraction FINESS des établissements"
                )
                break
            continue
        if not any(v.strip() for v in champs):
            continue
        genre = champs[0]
        if genre == "structureet":
            lues += 1
            ignorees += _lire_structure(champs, n, communes, gardees, erreurs)
        elif genre == "geolocalisation":
            if len(champs) < CHAMPS_GEOLOCALISATION:
                erreurs.append(
                    f"ligne {n} : {len(champs)} champs au lieu de 6 pour une ligne geolocalisation"
                )
                continue
            positions[champs[1].strip()] = (n, champs)
        else:
            erreurs.append(
                f"ligne {n} : type de ligne « {genre[:30]} » inconnu "
                "(structureet ou geolocalisation attendu)"
            )
    _positionner_toutes(gardees, positions, erreurs)
    if not erreurs and lues == 0:
        erreurs.append(
            f"ligne {max(lecteur.line_num, 1)} : aucune ligne structureet jusqu'ici, "
            "le fichier est vide ou tronqué"
        )
    if erreurs:
        raise ErreurImport(erreurs)
    return [ligne.structure for ligne in gardees.values()], {"lues": lues, "ignorees": ignorees}


CHAMPS_MIS_A_JOUR = [
    "categorie",
    "nom",
    "adresse",
    "commune",
    "telephone",
    "ouverte_le",
    "latitude",
    "longitude",
    "position_adresse",
]


def finess_importer(*, fichier: Path, force: bool = False) -> dict:
    """Load the maisons and centres de santé of a FINESS extract, all or nothing: create the
    new ones, update the known ones (by FINESS number), delete the imported ones the extract no
    longer lists (a post hosted there keeps its text, loses the link). The demo's fictitious
    structures are left alone. The same file twice: nothing to do."""
    contenu = fichier.read_bytes()
    empreinte = hashlib.sha256(contenu).hexdigest()
    if not force and JeuDeDonnees.objects.est_charge(JEU, empreinte):
        return {"deja_charge": True}
    structures, figures = lire(_texte(contenu))
    with transaction.atomic():
        existantes = {s.finess: s for s in Structure.objects.filter(fictive=False)}
        nouvelles, changees = [], []
        for s in structures:
            ancienne = existantes.pop(s.finess, None)
            if ancienne is None:
                nouvelles.append(s)
                continue
            for champ in CHAMPS_MIS_A_JOUR:
                setattr(ancienne, champ, getattr(s, champ))
            changees.append(ancienne)
        Structure.objects.bulk_create(nouvelles, batch_size=1000)
        Structure.objects.bulk_update(changees, CHAMPS_MIS_A_JOUR, batch_size=1000)
        Structure.objects.filter(pk__in=[s.pk for s in existantes.values()]).delete()
        # One statement on the table even when no row changed (an extract without any kept
        # structure): its trigger bumps the content version, and the commune page, kept under
        # it, turns from « Inconnu » to « Aucune … » together with the marker.
        Structure.objects.filter(fictive=False).update(position_adresse=F("position_adresse"))
        JeuDeDonnees.objects.marquer_charge(JEU, empreinte)
    par_categorie = {c: sum(s.categorie == c for s in structures) for c in CATEGORIES}
    return {
        **figures,
        "creees": len(nouvelles),
        "mises_a_jour": len(changees),
        "supprimees": len(existantes),
        "msp": par_categorie[CategorieStructure.MSP],
        "cds": par_categorie[CategorieStructure.CDS],
        "a_l_adresse": sum(s.position_adresse for s in structures),
    }
