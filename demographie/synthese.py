"""The summary of the headcounts (``Synthese``): every aggregate the pages and the bulletin read
for France, the régions and the départements, built in SQL once per import.

One statement scans the headcount table once: it first groups the cells by région, département,
year, level, profession, age band, sex and source (the commune rows collapse there), then sums
those groups for each territory. The sums follow ``indicateurs.AGREGATS`` exactly: masked cells
(NULL) are ignored, a total whose cells are all masked stays NULL (unknown), the shares' sub-totals
are 0 when nothing is known.

Freshness: every import path calls ``recalculer`` inside its own transaction, so a page never
sees headcounts without their summary. Any other write (shell, admin, test factories) bumps the
"effectifs" content version (guichet.versions, triggers of demographie 0006); ``assurer_a_jour``
compares it with the version the summary was built from and rebuilds when they differ, so
nothing depends on a command someone must remember.
"""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import BigIntegerField
from django.db.models.expressions import RawSQL

from demographie.models import TRANCHES_60_ET_PLUS, EtatSynthese, Synthese
from guichet.models import VersionContenu
from guichet.versions import EFFECTIFS

VERROU = 7_315_001  # pg_advisory_xact_lock key of the rebuild
COLONNES = [
    "niveau_territoire", "code_territoire", "annee", "niveau", "profession", "lignes", "masques",
    "total", "age_connu", "age_60", "sexe_connu", "femmes", "mode_connu", "liberal", "salarie",
    "mixte", "pyramide", "sources",
]  # fmt: skip
_AGES_60 = ", ".join(f"'{t.value}'" for t in TRANCHES_60_ET_PLUS)

# The territories a group of cells counts for: France, its région, its département.
CLES_NATIONALES = """
    SELECT 'france' AS nt, 'FR' AS code, p.* FROM partiel p
    UNION ALL SELECT 'region', p.region_id, p.* FROM partiel p
    UNION ALL SELECT 'departement', p.departement_id, p.* FROM partiel p
        WHERE p.departement_id IS NOT NULL AND p.niveau <> 'region'
"""
CLES_COMMUNE = "SELECT 'commune' AS nt, p.commune_id AS code, p.* FROM partiel p"


def _requete(cles: str, filtre: str = "", avec_commune: bool = False) -> str:
    commune = ", commune_id" if avec_commune else ""
    return f"""
WITH partiel AS MATERIALIZED (
    SELECT region_id, departement_id{commune}, annee, niveau, profession, tranche_age, sexe,
           source_id,
           count(*) AS lignes,
           count(*) FILTER (WHERE effectif IS NULL) AS masques,
           sum(effectif) AS total,
           sum(effectif) FILTER (WHERE mode_exercice <> 'inconnu') AS mode_connu,
           sum(effectif) FILTER (WHERE mode_exercice = 'liberal') AS liberal,
           sum(effectif) FILTER (WHERE mode_exercice = 'salarie') AS salarie,
           sum(effectif) FILTER (WHERE mode_exercice = 'mixte') AS mixte
    FROM demographie_effectif {filtre}
    GROUP BY region_id, departement_id{commune}, annee, niveau, profession, tranche_age, sexe,
             source_id
),
cles AS ({cles}),
cellules AS (
    SELECT nt, code, annee, niveau, profession, tranche_age, sexe,
           sum(lignes) AS lignes, sum(masques) AS masques, sum(total) AS total,
           sum(mode_connu) AS mode_connu, sum(liberal) AS liberal, sum(salarie) AS salarie,
           sum(mixte) AS mixte
    FROM cles GROUP BY nt, code, annee, niveau, profession, tranche_age, sexe
),
sources AS (
    SELECT c.nt, c.code, c.annee, c.niveau,
           jsonb_agg(DISTINCT jsonb_build_object('id', s.id, 'libelle', s.libelle,
                                                 'fictive', s.fictive)) AS ids
    FROM (SELECT DISTINCT nt, code, annee, niveau, source_id FROM cles) c
    JOIN demographie_source s ON s.id = c.source_id
    GROUP BY c.nt, c.code, c.annee, c.niveau
),
agregats AS (
    SELECT nt, code, annee, niveau, profession, grouping(profession) AS ensemble,
           sum(lignes) AS lignes, sum(masques) AS masques, sum(total) AS total,
           coalesce(sum(total) FILTER (WHERE tranche_age <> 'inconnu'), 0) AS age_connu,
           coalesce(sum(total) FILTER (WHERE tranche_age IN ({_AGES_60})), 0) AS age_60,
           coalesce(sum(total) FILTER (WHERE sexe <> 'inconnu'), 0) AS sexe_connu,
           coalesce(sum(total) FILTER (WHERE sexe = 'F'), 0) AS femmes,
           coalesce(sum(mode_connu), 0) AS mode_connu, coalesce(sum(liberal), 0) AS liberal,
           coalesce(sum(salarie), 0) AS salarie, coalesce(sum(mixte), 0) AS mixte,
           jsonb_object_agg(tranche_age || '|' || sexe, total) AS pyramide
    FROM cellules
    GROUP BY GROUPING SETS ((nt, code, annee, niveau, profession), (nt, code, annee, niveau))
)
SELECT a.nt, a.code, a.annee, a.niveau,
       CASE WHEN a.ensemble = 1 THEN '' ELSE a.profession END,
       a.lignes, a.masques, a.total, a.age_connu, a.age_60, a.sexe_connu, a.femmes,
       a.mode_connu, a.liberal, a.salarie, a.mixte,
       CASE WHEN a.ensemble = 1 THEN '{{}}'::jsonb ELSE a.pyramide END,
       s.ids
FROM agregats a
JOIN sources s USING (nt, code, annee, niveau)
"""


# Annotated on the summary rows a page reads: non-zero when the summary is behind the headcounts
# (so that checking freshness costs no query of its own).
_VERSION_DES_EFFECTIFS = f"""COALESCE((SELECT valeur FROM {VersionContenu._meta.db_table}
    WHERE cle = '{EFFECTIFS}'), 0)"""
_VERSION_DE_LA_SYNTHESE = f"""(SELECT valeur FROM {EtatSynthese._meta.db_table}
    WHERE cle = 'synthese')"""
RETARD = RawSQL(
    f"{_VERSION_DES_EFFECTIFS} - COALESCE({_VERSION_DE_LA_SYNTHESE}, -1)",
    [],
    output_field=BigIntegerField(),
)


def _compteurs() -> dict[str, int]:
    """The headcounts' content version and the one the summary was built from (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_VERSION_DES_EFFECTIFS}, {_VERSION_DE_LA_SYNTHESE}")
        effectifs, synthese = cursor.fetchone()
    return {"effectifs": effectifs, **({"synthese": synthese} if synthese is not None else {})}


def recalculer() -> int:
    """Rebuild the whole summary from the headcounts, in the caller's transaction when there is
    one (every import calls it last, so the new headcounts and their summary commit together).
    Returns the number of summary rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU])
        # The first grouping holds ~170 000 groups at national scale: in memory, not on disk.
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute(f"DELETE FROM {Synthese._meta.db_table}")
        cursor.execute(
            f"INSERT INTO {Synthese._meta.db_table} ({', '.join(COLONNES)}) "
            + _requete(CLES_NATIONALES)
        )
        n = cursor.rowcount
        # The version the summary now matches (0: the headcounts were never written).
        cursor.execute(
            f"""INSERT INTO {EtatSynthese._meta.db_table} (cle, valeur)
                SELECT 'synthese', {_VERSION_DES_EFFECTIFS}
                ON CONFLICT (cle) DO UPDATE SET valeur = EXCLUDED.valeur"""
        )
    return n


def _en_retard(compteurs) -> bool:
    return "synthese" not in compteurs or compteurs["synthese"] != compteurs.get("effectifs")


def assurer_a_jour() -> bool:
    """Rebuild the summary when a write did not (one cheap query otherwise); return whether it
    was rebuilt."""
    if not _en_retard(_compteurs()):
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU])
        if not _en_retard(_compteurs()):  # another process rebuilt it meanwhile
            return False
        recalculer()
    return True


def lignes_commune(code: str) -> list[Synthese]:
    """A commune's summary rows, computed from its own rows (an indexed filter), unsaved."""
    with connection.cursor() as cursor:
        cursor.execute(
            _requete(CLES_COMMUNE, "WHERE commune_id = %s AND niveau = 'commune'", True), [code]
        )
        return [_depuis_ligne(ligne) for ligne in cursor.fetchall()]


def _depuis_ligne(ligne) -> Synthese:
    import json

    valeurs = dict(zip(COLONNES, ligne, strict=True))
    # PostgreSQL's sum() of bigint is numeric: the saved rows read back as int, these must too
    # (a Decimal density minus France's float density failed on the commune page).
    for cle, valeur in valeurs.items():
        if isinstance(valeur, Decimal):
            valeurs[cle] = int(valeur)
    for cle in ("pyramide", "sources"):
        if isinstance(valeurs[cle], str):
            valeurs[cle] = json.loads(valeurs[cle])
    return Synthese(**valeurs)
