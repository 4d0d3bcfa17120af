"""Adapters for the public files: the RPPS "personne-activite" extract and the Assurance
Maladie demography export.

The file is streamed in chunks with PostgreSQL COPY into a temporary staging table (every
column as text, named after the header), then aggregated by SQL into headcount rows: memory
stays bounded whatever the file size, and millions of lines take seconds.
"""

import re
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from demographie import synthese
from demographie.importation import ErreurImport
from demographie.models import Source
from guichet.text import normalise_python

TAILLE_BLOC = 1024 * 1024

# RPPS "Code profession" -> shared profession code (doctors are split by savoir-faire).
PROFESSIONS_RPPS = {
    "10": "medecin-specialiste",
    "21": "pharmacien",
    "40": "chirurgien-dentiste",
    "50": "sage-femme",
    "60": "infirmier",
    "70": "masseur-kinesitherapeute",
    "80": "pedicure-podologue",
    "91": "orthophoniste",
    "92": "orthoptiste",
}
# Savoir-faire codes of general practice (qualified or DES specialist in general medicine).
SAVOIR_FAIRE_GENERALISTE = ("SM53", "SM54")
COLONNES_RPPS = {
    "pp": "Identification nationale PP",
    "civilite": "Code civilité",
    "profession": "Code profession",
    "savoir_faire": "Code savoir-faire",
    "mode": "Code mode exercice",
    "commune": "Code commune (coord. structure)",
}
COLONNES_AMELI = {
    "annee": "annee",
    "profession": "profession_sante",
    "departement": "departement",
    "age": "libelle_classe_age",
    "sexe": "libelle_sexe",
    "effectif": "effectif",
}


def _entete(chemin: Path, separateur: str) -> list[str]:
    with open(chemin, encoding="utf-8-sig", newline="") as f:
        ligne = f.readline().rstrip("\r\n")
    return [c.strip().strip('"') for c in ligne.split(separateur)]


def _colonnes(entete: list[str], attendues: dict[str, str]) -> dict[str, str]:
    """SQL column names (c1, c2…) of the expected headers; refuses a file missing one."""
    index = {nom: i for i, nom in enumerate(entete)}
    manquantes = [nom for nom in attendues.values() if nom not in index]
    if manquantes:
        raise ErreurImport([f"ligne 1 : colonne absente « {nom} »" for nom in manquantes])
    return {cle: f"c{index[nom] + 1}" for cle, nom in attendues.items()}


def _copier(cursor, chemin: Path, nb_colonnes: int, options: str, progression) -> int:
    colonnes = ", ".join(f"c{i + 1} text" for i in range(nb_colonnes))
    # Temporary tables live until the end of the transaction (or of an enclosing one).
    cursor.execute(
        "DROP TABLE IF EXISTS demographie_brut, demographie_agrege, demographie_profession"
    )
    cursor.execute(f"CREATE TEMPORARY TABLE demographie_brut ({colonnes}) ON COMMIT DROP")
    lus = 0
    with open(chemin, "rb") as f, cursor.copy(f"COPY demographie_brut FROM STDIN {options}") as c:
        while bloc := f.read(TAILLE_BLOC):
            c.write(bloc)
            lus += len(bloc)
            if lus % (64 * TAILLE_BLOC) < TAILLE_BLOC:
                progression(f"{lus // TAILLE_BLOC} Mo lus…")
    cursor.execute("SELECT count(*) FROM demographie_brut")
    return cursor.fetchone()[0]


def _remplacer_et_inserer(cursor, source: Source, niveau: str) -> tuple[int, int]:
    """Replace the staged years and territories, then insert the aggregated rows."""
    cursor.execute(
        """
        DELETE FROM demographie_effectif e USING (
            SELECT DISTINCT annee, code FROM demographie_agrege
        ) n WHERE e.niveau = %s AND e.annee = n.annee AND e.code_territoire = n.code
        """,
        [niveau],
    )
    remplacees = cursor.rowcount
    cursor.execute(
        """
        INSERT INTO demographie_effectif (annee, niveau, code_territoire, region_id,
            departement_id, commune_id, profession, tranche_age, sexe, mode_exercice, effectif,
            source_id)
        SELECT annee, %s, code, region_id, departement_id, commune_id, profession, tranche_age,
               sexe, mode_exercice, effectif, %s
          FROM demographie_agrege
         ORDER BY annee, code, profession, tranche_age, sexe, mode_exercice
        """,
        [niveau, source.pk],
    )
    return cursor.rowcount, remplacees


def _agreger_rpps(cursor, col, annee: int) -> None:
    """Distinct professionals per commune, profession, sex and mode into ``demographie_agrege``."""
    professions = " ".join(
        f"WHEN '{code}' THEN '{profession}'" for code, profession in PROFESSIONS_RPPS.items()
    )
    generalistes = ", ".join(f"'{c}'" for c in SAVOIR_FAIRE_GENERALISTE)
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE demographie_agrege ON COMMIT DROP AS
        WITH activite AS (
            SELECT {col["pp"]} AS pp,
                   CASE WHEN left({col["commune"]}, 3) NOT IN ('751', '693', '132')
                             THEN {col["commune"]}
                        WHEN {col["commune"]} ~ '^751[0-2][0-9]$' THEN '75056'
                        WHEN {col["commune"]} ~ '^6938[1-9]$' THEN '69123'
                        WHEN {col["commune"]} ~ '^132[0-1][0-9]$' THEN '13055'
                        ELSE {col["commune"]} END AS commune,
                   CASE WHEN {col["profession"]} = '10'
                             AND {col["savoir_faire"]} IN ({generalistes})
                        THEN 'medecin-generaliste'
                        ELSE CASE {col["profession"]} {professions} END END AS profession,
                   {col["mode"]} AS mode,
                   {col["civilite"]} AS civilite
              FROM demographie_brut
             WHERE coalesce({col["pp"]}, '') <> ''
        ), personne AS (
            SELECT pp, commune, profession,
                   bool_or(mode = 'L') AS liberal, bool_or(mode = 'S') AS salarie,
                   max(civilite) AS civilite
              FROM activite
             WHERE profession IS NOT NULL
             GROUP BY pp, commune, profession
        )
        SELECT %s::smallint AS annee, c.code, d.region_id, d.code AS departement_id,
               c.code AS commune_id, p.profession, 'inconnu'::text AS tranche_age,
               CASE WHEN p.civilite = 'M' THEN 'H'
                    WHEN p.civilite IN ('MME', 'MLLE') THEN 'F'
                    ELSE 'inconnu' END AS sexe,
               CASE WHEN p.liberal AND p.salarie THEN 'mixte'
                    WHEN p.liberal THEN 'liberal'
                    WHEN p.salarie THEN 'salarie'
                    ELSE 'inconnu' END AS mode_exercice,
               count(*) AS effectif
          FROM personne p
          JOIN guichet_commune c ON c.code = p.commune
          JOIN guichet_departement d ON d.code = c.departement_id
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        """,
        [annee],
    )


def importer_rpps(
    chemin: Path,
    *,
    annee: int,
    libelle_source: str,
    progression: Callable[[str], None] = lambda m: None,
) -> dict:
    """Count distinct professionals (PP) per commune, profession, sex and mode of practice.

    One row per activity in the file; a professional with both a private (L) and a salaried (S)
    activity in a commune counts once, as "mixte". Age is unknown in this file. Paris, Lyon and
    Marseille arrondissements are counted in their commune; other unknown communes are skipped.
    """
    entete = _entete(chemin, "|")
    col = _colonnes(entete, COLONNES_RPPS)
    with transaction.atomic(), connection.cursor() as cursor:
        # The groupings and the sort of millions of activities: in memory, not on disk.
        cursor.execute("SET LOCAL work_mem = '128MB'")
        lignes = _copier(
            cursor,
            chemin,
            len(entete),
            "WITH (FORMAT csv, DELIMITER '|', HEADER true, QUOTE E'\\x01', ENCODING 'UTF8')",
            progression,
        )
        progression(f"{lignes} activités chargées, agrégation…")
        _agreger_rpps(cursor, col, annee)
        source = Source.objects.create(libelle=libelle_source, fichier=chemin.name)
        inserees, remplacees = _remplacer_et_inserer(cursor, source, "commune")
        synthese.recalculer()
        cursor.execute("SELECT count(DISTINCT code) FROM demographie_agrege")
        communes = cursor.fetchone()[0]
    return {"lignes": lignes, "effectifs": inserees, "communes": communes, "remplacees": remplacees}


def profession_ameli(libelle: str) -> str | None:
    """Map a CNAM ``profession_sante`` label to a shared code (None: not counted)."""
    texte = normalise_python(libelle)
    regles = [
        (r"^medecins? generalistes?", "medecin-generaliste"),
        (r"^(ensemble des )?medecins? specialistes?( \(ensemble\))?$", "medecin-specialiste"),
        (
            r"^(ensemble des )?chirurgiens? dentistes?( \(ensemble\)| omnipraticiens?)?$",
            "chirurgien-dentiste",
        ),
        (r"^sages? femmes?", "sage-femme"),
        (r"^infirmi", "infirmier"),
        (r"^masseurs? kinesitherapeutes?", "masseur-kinesitherapeute"),
        (r"^pharmaciens?", "pharmacien"),
        (r"^orthophonistes?", "orthophoniste"),
        (r"^orthoptistes?", "orthoptiste"),
        (r"^pedicures? podologues?", "pedicure-podologue"),
    ]
    for motif, code in regles:
        if re.search(motif, texte):
            return code
    return None


def _professions_ameli(cursor, col) -> dict[str, str | None]:
    """Each profession label of the loaded file and its shared code, kept in a temporary table."""
    cursor.execute(f"SELECT DISTINCT {col['profession']} FROM demographie_brut")
    libelles = [r[0] for r in cursor.fetchall() if r[0]]
    correspondance = {lib: profession_ameli(lib) for lib in libelles}
    cursor.execute(
        "CREATE TEMPORARY TABLE demographie_profession (libelle text, profession text) "
        "ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO demographie_profession VALUES (%s, %s)",
        [(lib, code) for lib, code in correspondance.items() if code],
    )
    return correspondance


def _agreger_ameli(cursor, col) -> None:
    """Département totals by age band and sex into ``demographie_agrege``."""
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE demographie_agrege ON COMMIT DROP AS
        WITH ligne AS (
            SELECT b.{col["annee"]}::smallint AS annee, p.profession,
                   substring(b.{col["departement"]} from '^\\s*([0-9]{{2,3}}|2A|2B)') AS dep,
                   lower(b.{col["age"]}) AS age, lower(b.{col["sexe"]}) AS sexe,
                   nullif(regexp_replace(b.{col["effectif"]}, '\\s', '', 'g'), '') AS valeur
              FROM demographie_brut b
              JOIN demographie_profession p ON p.libelle = b.{col["profession"]}
        ), propre AS (
            SELECT annee, profession,
                   CASE WHEN length(dep) = 3 AND dep LIKE '0%%' THEN substr(dep, 2)
                        ELSE dep END AS dep,
                   CASE WHEN age LIKE '%%moins%%' THEN '<30'
                        WHEN substring(age from '[0-9]+')::int < 30 THEN '<30'
                        WHEN substring(age from '[0-9]+')::int < 40 THEN '30-39'
                        WHEN substring(age from '[0-9]+')::int < 50 THEN '40-49'
                        WHEN substring(age from '[0-9]+')::int < 55 THEN '50-54'
                        WHEN substring(age from '[0-9]+')::int < 60 THEN '55-59'
                        WHEN substring(age from '[0-9]+')::int < 65 THEN '60-64'
                        WHEN substring(age from '[0-9]+')::int < 70 THEN '65-69'
                        WHEN substring(age from '[0-9]+')::int >= 70 THEN '70+'
                        ELSE 'inconnu' END AS tranche_age,
                   CASE WHEN sexe LIKE 'femme%%' THEN 'F' WHEN sexe LIKE 'homme%%' THEN 'H'
                        ELSE 'inconnu' END AS sexe,
                   CASE WHEN valeur ~ '^[0-9]+$' THEN valeur::int END AS effectif
              FROM ligne
             WHERE age NOT LIKE 'tou%%' AND age NOT LIKE 'ensemble%%'
               AND sexe NOT LIKE 'tou%%' AND sexe NOT LIKE 'ensemble%%'
        )
        SELECT p.annee, d.code, d.region_id, d.code AS departement_id,
               NULL::varchar AS commune_id, p.profession, p.tranche_age, p.sexe,
               'liberal'::text AS mode_exercice,
               CASE WHEN bool_or(p.effectif IS NULL) THEN NULL
                    ELSE sum(p.effectif) END AS effectif
          FROM propre p JOIN guichet_departement d ON d.code = p.dep
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        """
    )


def importer_ameli(
    chemin: Path, *, libelle_source: str, progression: Callable[[str], None] = lambda m: None
) -> dict:
    """Private practitioners by département, age band and sex (mode of practice: libéral).

    Totals ("Tout âge", "Tout sexe", lines without a département) are skipped; 5-year age
    bands are summed into the portal's bands; a band containing a masked ("NS") cell is
    masked as a whole (unknown, never a partial sum passed off as complete).
    """
    entete = _entete(chemin, ";")
    col = _colonnes(entete, COLONNES_AMELI)
    with transaction.atomic(), connection.cursor() as cursor:
        lignes = _copier(
            cursor,
            chemin,
            len(entete),
            "WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')",
            progression,
        )
        correspondance = _professions_ameli(cursor, col)
        _agreger_ameli(cursor, col)
        source = Source.objects.create(libelle=libelle_source, fichier=chemin.name)
        inserees, remplacees = _remplacer_et_inserer(cursor, source, "departement")
        synthese.recalculer()
    ignorees = sorted(lib for lib, code in correspondance.items() if not code)
    return {
        "lignes": lignes,
        "effectifs": inserees,
        "remplacees": remplacees,
        "professions_ignorees": ignorees,
    }
