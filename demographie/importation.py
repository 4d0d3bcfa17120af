"""Imports: the portal's canonical headcount CSV, populations and the Pacte territoire santé
indicators. Every import is all-or-nothing and reports bad lines as "ligne N : …"."""

import csv
import hashlib
import io
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from demographie import synthese
from demographie.models import (
    Effectif,
    IndicateurDispositif,
    Niveau,
    Population,
    Sexe,
    Source,
    TrancheAge,
)
from guichet.audit import tracer_operation
from guichet.imports import ErreurImport
from guichet.models import Commune, Departement, JeuDeDonnees, Region
from guichet.vocabulaire import MODES_STATUT, Profession

ENTETE = [
    "annee", "niveau", "code_territoire", "profession", "tranche_age", "sexe", "mode_exercice",
    "effectif",
]  # fmt: skip
ENTETE_POPULATION = ["annee", "niveau", "code_territoire", "population"]
MASQUE = {"", "NS"}
ANNEE_MIN, ANNEE_MAX = 1990, 2100
MAX_ERREURS = 200
COLONNES_EFFECTIF = [
    "annee", "niveau", "code_territoire", "region_id", "departement_id", "commune_id",
    "profession", "tranche_age", "sexe", "mode_exercice", "effectif", "source_id",
]  # fmt: skip

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demographie"
FICHIER_DISPOSITIFS = FIXTURES / "pacte-territoire-sante.csv"
SOURCE_DISPOSITIFS = "Pacte territoire santé, bilan fin 2016"
# Year of the municipal populations shipped with the territories (Etalab 6.0.0 package).
ANNEE_POPULATION_COMMUNES = 2023
SOURCE_POPULATION_COMMUNES = "INSEE, population municipale (Code officiel géographique, Etalab)"


@dataclass
class Perimetre:
    """Territories an import may touch (None: all)."""

    regions: set[str] | None = None
    departements: set[str] | None = None

    def autorise(self, region: str, departement: str | None) -> bool:
        if self.regions is None and self.departements is None:
            return True
        if region in (self.regions or set()):
            return True
        return departement is not None and departement in (self.departements or set())


class CarteTerritoires:
    """Every territory code with its parents, loaded once per import."""

    def __init__(self):
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.departements = dict(Departement.objects.values_list("code", "region_id"))
        self.communes = dict(Commune.objects.values_list("code", "departement_id"))

    def parents(self, niveau: str, code: str) -> tuple[str, str | None, str | None] | None:
        """(région, département, commune) of a territory, or None if unknown."""
        if niveau == Niveau.REGION:
            return (code, None, None) if code in self.regions else None
        if niveau == Niveau.DEPARTEMENT:
            region = self.departements.get(code)
            return (region, code, None) if region else None
        if niveau == Niveau.COMMUNE:
            dep = self.communes.get(code)
            return (self.departements[dep], dep, code) if dep else None
        return None


@dataclass
class Analyse:
    """The outcome of reading a canonical file, before anything is written."""

    lignes: int = 0
    masquees: int = 0
    erreurs: list[str] = field(default_factory=list)
    nb_erreurs: int = 0
    territoires: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    apercu: list[list[str]] = field(default_factory=list)
    donnees: object = None  # the validated rows, tab-separated for COPY

    def erreur(self, message: str) -> None:
        self.nb_erreurs += 1
        if len(self.erreurs) < MAX_ERREURS:
            self.erreurs.append(message)

    @property
    def annees(self) -> list[int]:
        return sorted({a for a, _ in self.territoires})

    @property
    def nb_territoires(self) -> int:
        return sum(len(codes) for codes in self.territoires.values())

    def resume_par_annee(self) -> list[dict]:
        return [
            {"annee": a, "niveau": Niveau(n).label, "territoires": len(codes)}
            for (a, n), codes in sorted(self.territoires.items())
        ]


def _lignes_texte(fichier) -> Iterable[str]:
    """Decoded lines of a path, a text stream or a binary stream (UTF-8, optional BOM)."""
    if isinstance(fichier, str | Path):
        with open(fichier, encoding="utf-8-sig", newline="") as f:
            yield from f
        return
    premier = True
    for brut in fichier:
        ligne = brut.decode("utf-8") if isinstance(brut, bytes) else brut
        if premier:
            ligne = ligne.removeprefix("\ufeff")
            premier = False
        yield ligne


def _nettoyer(valeur: str) -> str:
    return valeur.strip()


@dataclass
class _Validation:
    """The checks of one canonical line, with what they need loaded once per file."""

    carte: CarteTerritoires
    perimetre: Perimetre
    professions: frozenset = frozenset(Profession.values)
    tranches: frozenset = frozenset(TrancheAge.values)
    sexes: frozenset = frozenset(Sexe.values)
    modes: frozenset = frozenset(MODES_STATUT)

    def territoire(self, niveau: str, code: str, erreurs: list[str]):
        """(région, département, commune) of the line's territory, or None with an error."""
        if niveau not in Niveau.values:
            erreurs.append(f"niveau invalide « {niveau} » (commune, departement ou region)")
            return None
        parents = self.carte.parents(niveau, code)
        if parents is None:
            erreurs.append(f"{Niveau(niveau).label.lower()} inconnu(e) « {code} »")
        elif not self.perimetre.autorise(parents[0], parents[1]):
            erreurs.append(f"territoire « {code} » hors de votre périmètre")
        return parents

    def erreurs(self, champs: list[str]) -> tuple[list[str], tuple | None]:
        """Every problem of a line's cleaned fields, and its territory's parents."""
        annee, niveau, code, profession, tranche, sexe, mode, effectif = champs
        erreurs = []
        if not annee.isdigit() or not ANNEE_MIN <= int(annee) <= ANNEE_MAX:
            erreurs.append(f"année invalide « {annee} »")
        parents = self.territoire(niveau, code, erreurs)
        if profession not in self.professions:
            erreurs.append(f"profession inconnue « {profession} »")
        if tranche not in self.tranches:
            erreurs.append(f"tranche d'âge invalide « {tranche} »")
        if sexe not in self.sexes:
            erreurs.append(f"sexe invalide « {sexe} » (F, H ou inconnu)")
        if mode not in self.modes:
            erreurs.append(f"mode d'exercice invalide « {mode} »")
        if effectif not in MASQUE and not effectif.isdigit():
            erreurs.append(f"effectif invalide « {effectif} » (nombre entier, NS ou vide)")
        return erreurs, parents


def _entete_valide(lecteur, resultat: Analyse) -> bool:
    """Read the header line; False (with the error) if the file cannot be imported."""
    try:
        entete = next(lecteur, None)
    except UnicodeDecodeError:
        resultat.erreur("ligne 1 : le fichier doit être encodé en UTF-8")
        return False
    if entete is None:
        resultat.erreur("le fichier est vide")
        return False
    if [_nettoyer(c) for c in entete] != ENTETE:
        resultat.erreur(f"ligne 1 : en-tête attendu « {';'.join(ENTETE)} »")
        return False
    return True


class _Lecture:
    """Reads the data lines of one file into an Analyse and the COPY buffer."""

    def __init__(self, resultat: Analyse, validation: _Validation, donnees, apercu: int):
        self.resultat, self.validation, self.donnees = resultat, validation, donnees
        self.apercu = apercu
        self.deja_vues: dict[tuple, int] = {}

    def ligne(self, numero: int, valeurs: list[str]) -> None:
        resultat = self.resultat
        if not any(v.strip() for v in valeurs):
            return  # blank line
        if len(valeurs) != len(ENTETE):
            resultat.erreur(
                f"ligne {numero} : {len(ENTETE)} colonnes attendues, {len(valeurs)} trouvées"
            )
            return
        champs = [v.strip() for v in valeurs]
        erreurs, parents = self.validation.erreurs(champs)
        if erreurs:
            resultat.erreur(f"ligne {numero} : " + " ; ".join(erreurs))
            return
        annee, niveau, code, profession, tranche, sexe, mode, effectif = champs
        cle = (int(annee), niveau, code, profession, tranche, sexe, mode)
        if cle in self.deja_vues:
            resultat.erreur(f"ligne {numero} : doublon de la ligne {self.deja_vues[cle]}")
            return
        self.deja_vues[cle] = numero
        self.garder(champs, parents)

    def garder(self, champs: list[str], parents: tuple) -> None:
        """Count a valid line and write it for COPY."""
        annee, niveau, code, profession, tranche, sexe, mode, effectif = champs
        resultat = self.resultat
        resultat.lignes += 1
        masque = effectif in MASQUE
        resultat.masquees += masque
        resultat.territoires.setdefault((int(annee), niveau), set()).add(code)
        if len(resultat.apercu) < self.apercu:
            resultat.apercu.append([*champs[:7], "masqué" if masque else effectif])
        region, dep, commune = parents
        self.donnees.write(
            "\t".join([annee, niveau, code, region, dep or r"\N", commune or r"\N",
                       profession, tranche, sexe, mode, r"\N" if masque else str(int(effectif)),
                       "{source}"]) + "\n"
        )  # fmt: skip


def analyser(
    fichier,
    *,
    perimetre: Perimetre | None = None,
    carte: CarteTerritoires | None = None,
    progression: Callable[[str], None] = lambda m: None,
    apercu: int = 20,
) -> Analyse:
    """Validate a canonical CSV and keep its rows ready for COPY (in a spooled temp file)."""
    resultat = Analyse()
    lecteur = csv.reader(_lignes_texte(fichier), delimiter=";")
    if not _entete_valide(lecteur, resultat):
        return resultat
    donnees = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024, mode="w+", encoding="utf-8")
    validation = _Validation(carte or CarteTerritoires(), perimetre or Perimetre())
    lecture = _Lecture(resultat, validation, donnees, apercu)
    numero = 1
    try:
        for numero, valeurs in enumerate(lecteur, start=2):
            lecture.ligne(numero, valeurs)
            if numero % 100_000 == 0:
                progression(f"{numero} lignes lues…")
    except UnicodeDecodeError:
        resultat.erreur(f"ligne {numero + 1} : le fichier doit être encodé en UTF-8")
    except csv.Error as exc:
        resultat.erreur(f"ligne {numero + 1} : ligne illisible ({exc})")
    if resultat.lignes == 0 and not resultat.nb_erreurs:
        resultat.erreur("aucune ligne de données")
    donnees.seek(0)
    resultat.donnees = donnees
    return resultat


def copier_effectifs(lignes: Iterable[str], source: Source) -> None:
    """COPY tab-separated headcount rows (``{source}`` placeholder) into the table."""
    marque = str(source.pk)
    with connection.cursor() as cursor:
        colonnes = ", ".join(COLONNES_EFFECTIF)
        with cursor.copy(f"COPY demographie_effectif ({colonnes}) FROM STDIN") as copie:
            lot = []
            for ligne in lignes:
                lot.append(ligne.replace("{source}", marque))
                if len(lot) == 10_000:
                    copie.write("".join(lot))
                    lot = []
            if lot:
                copie.write("".join(lot))


def remplacer(territoires: dict[tuple[int, str], set[str]]) -> int:
    """Delete the rows of these years and territories (re-import replaces them)."""
    supprimees = 0
    for (annee, niveau), codes in territoires.items():
        supprimees += Effectif.objects.filter(
            annee=annee, niveau=niveau, code_territoire__in=list(codes)
        ).delete()[0]
    Source.objects.filter(effectifs__isnull=True).delete()
    return supprimees


def importer_canonique(
    fichier,
    *,
    libelle_source: str,
    nom_fichier: str = "",
    par=None,
    perimetre: Perimetre | None = None,
    progression: Callable[[str], None] = lambda m: None,
) -> dict:
    """Import a canonical CSV, all or nothing; raises ErreurImport listing every bad line."""
    analyse = analyser(fichier, perimetre=perimetre, progression=progression)
    if analyse.nb_erreurs:
        raise ErreurImport(analyse.erreurs, analyse.nb_erreurs)
    return enregistrer(
        analyse, libelle_source=libelle_source, nom_fichier=nom_fichier, par=par,
        progression=progression,
    )  # fmt: skip


def enregistrer(analyse: Analyse, *, libelle_source, nom_fichier="", par=None, progression=None):
    with transaction.atomic():
        supprimees = remplacer(analyse.territoires)
        source = Source.objects.create(libelle=libelle_source, fichier=nom_fichier, importe_par=par)
        copier_effectifs(analyse.donnees, source)
        tracer_operation(
            Effectif,
            f"Import des effectifs : {source.libelle}",
            {"lignes": analyse.lignes, "remplacees": supprimees, "annees": analyse.annees},
        )
        synthese.recalculer()  # in the same transaction: no page sees one without the other
    if progression:
        progression(f"{analyse.lignes} lignes enregistrées")
    return {
        "lignes": analyse.lignes,
        "masquees": analyse.masquees,
        "annees": analyse.annees,
        "territoires": analyse.nb_territoires,
        "remplacees": supprimees,
    }


# -- populations


def initialiser_populations(annee: int = ANNEE_POPULATION_COMMUNES) -> int:
    """Populations of ``annee`` for every commune, département and région, from the communes'
    municipal population (sums for départements and régions)."""
    sql = """
    INSERT INTO demographie_population
        (annee, niveau, code_territoire, region_id, departement_id, commune_id, population, source)
    SELECT %(annee)s, 'commune', c.code, d.region_id, d.code, c.code, c.population, %(source)s
      FROM guichet_commune c JOIN guichet_departement d ON d.code = c.departement_id
     WHERE c.population IS NOT NULL
    UNION ALL
    SELECT %(annee)s, 'departement', d.code, d.region_id, d.code, NULL, SUM(c.population),
           %(source)s
      FROM guichet_commune c JOIN guichet_departement d ON d.code = c.departement_id
     WHERE c.population IS NOT NULL GROUP BY d.code, d.region_id
    UNION ALL
    SELECT %(annee)s, 'region', d.region_id, d.region_id, NULL, NULL, SUM(c.population),
           %(source)s
      FROM guichet_commune c JOIN guichet_departement d ON d.code = c.departement_id
     WHERE c.population IS NOT NULL GROUP BY d.region_id
    ON CONFLICT (annee, niveau, code_territoire)
    DO UPDATE SET population = EXCLUDED.population, source = EXCLUDED.source
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"annee": annee, "source": SOURCE_POPULATION_COMMUNES})
        return cursor.rowcount


def importer_populations(fichier, *, source: str) -> int:
    """Import ``annee;niveau;code_territoire;population`` lines (upsert), all or nothing."""
    carte = CarteTerritoires()
    erreurs, objets, vues = [], [], {}
    lecteur = csv.reader(_lignes_texte(fichier), delimiter=";")
    entete = [_nettoyer(c) for c in next(lecteur, [])]
    if entete != ENTETE_POPULATION:
        raise ErreurImport([f"ligne 1 : en-tête attendu « {';'.join(ENTETE_POPULATION)} »"])
    for numero, valeurs in enumerate(lecteur, start=2):
        if not any(v.strip() for v in valeurs):
            continue
        if len(valeurs) != 4:
            erreurs.append(f"ligne {numero} : 4 colonnes attendues, {len(valeurs)} trouvées")
            continue
        annee, niveau, code, population = map(_nettoyer, valeurs)
        parents = carte.parents(niveau, code) if niveau in Niveau.values else None
        probleme = []
        if not annee.isdigit() or not ANNEE_MIN <= int(annee) <= ANNEE_MAX:
            probleme.append(f"année invalide « {annee} »")
        if parents is None:
            probleme.append(f"territoire inconnu « {niveau} {code} »")
        if not population.isdigit():
            probleme.append(f"population invalide « {population} »")
        cle = (annee, niveau, code)
        if not probleme and cle in vues:
            probleme.append(f"doublon de la ligne {vues[cle]}")
        if probleme:
            erreurs.append(f"ligne {numero} : " + " ; ".join(probleme))
            continue
        vues[cle] = numero
        region, dep, commune = parents
        objets.append(
            Population(annee=int(annee), niveau=niveau, code_territoire=code, region_id=region,
                       departement_id=dep, commune_id=commune, population=int(population),
                       source=source)
        )  # fmt: skip
    if erreurs:
        raise ErreurImport(erreurs[:MAX_ERREURS], len(erreurs))
    with transaction.atomic():
        Population.objects.bulk_create(
            objets, batch_size=5000, update_conflicts=True,
            unique_fields=["annee", "niveau", "code_territoire"],
            update_fields=["population", "source"],
        )  # fmt: skip
        tracer_operation(Population, f"Import des populations : {source}", {"lignes": len(objets)})
    return len(objets)


# -- Pacte territoire santé indicators


def deriver_dispositifs(source: Path, cible: Path = FICHIER_DISPOSITIFS) -> int:
    """Write fixtures/demographie/pacte-territoire-sante.csv from the two brochure CSV files."""
    lignes: dict[tuple, list[str]] = {}
    with open(source / "pacte-territoire-sante-2016-regions.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            cle = (r["annee"], "region", r["code_region"], r["indicateur"], "realise")
            lignes[cle] = [*cle, r["valeur"]]
    with open(source / "pacte-territoire-sante-series.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            cle = (r["annee"], r["perimetre"], r["code"], r["indicateur"], r["nature"])
            lignes.setdefault(cle, [*cle, r["valeur"]])  # the regional table wins
    cible.parent.mkdir(parents=True, exist_ok=True)
    with open(cible, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["annee", "perimetre", "code", "indicateur", "nature", "valeur", "source"])
        for cle in sorted(lignes, key=lambda c: (c[1] != "national", c[2], c[3], c[0], c[4])):
            w.writerow([*lignes[cle], SOURCE_DISPOSITIFS])
    return len(lignes)


def charger_dispositifs(*, force: bool = False) -> dict:
    """Load the Pacte territoire santé indicators from the fixtures (idempotent)."""
    contenu = FICHIER_DISPOSITIFS.read_bytes()
    empreinte = hashlib.sha256(contenu).hexdigest()
    if not force and JeuDeDonnees.objects.est_charge("demographie-dispositifs", empreinte):
        return {"deja_charge": True}
    regions = set(Region.objects.values_list("code", flat=True))
    objets, erreurs = [], []
    lecteur = csv.DictReader(io.StringIO(contenu.decode("utf-8")), delimiter=";")
    for numero, r in enumerate(lecteur, start=2):
        region = None if r["perimetre"] == "national" else r["code"]
        if region is not None and region not in regions:
            erreurs.append(f"ligne {numero} : région inconnue « {region} »")
            continue
        objets.append(
            IndicateurDispositif(
                annee=int(r["annee"]), region_id=region, indicateur=r["indicateur"],
                nature=r["nature"], valeur=int(r["valeur"]) if r["valeur"] else None,
                source=r["source"],
            )
        )  # fmt: skip
    if erreurs:
        raise ErreurImport(erreurs)
    with transaction.atomic():
        IndicateurDispositif.objects.filter(source=SOURCE_DISPOSITIFS).delete()
        IndicateurDispositif.objects.bulk_create(objets)
        JeuDeDonnees.objects.marquer_charge("demographie-dispositifs", empreinte)
    return {"indicateurs": len(objets)}
