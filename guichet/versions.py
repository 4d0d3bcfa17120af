"""Content versions: one counter per content area, the only thing a cache is keyed on.

PostgreSQL sets the counter of an area on every statement that writes one of its tables: one
function (``guichet_version_contenu``, values from one sequence, which a rollback does not
rewind) called by statement-level triggers, so an admin save, an import, a publication status
change, a queryset ``update()``, a ``bulk_create`` or a raw SQL statement from a shell all give
a new number, in the writing transaction: a reader sees the new number together with the new
data. Each app lists its tables in a migration built with ``declencheurs(zone, tables)``; a
table written often in columns no page shows (the accounts: ``last_login`` at every sign-in)
names the columns that count (``colonnes``), and only a change of one of them bumps.

A reader reads the counters *before* the content: what it builds from content newer than its
counter is only ever a spare copy (the next read finds a higher counter), never a stale one.
"""

import contextvars
import hashlib

from django.db import migrations

from guichet.models import VersionContenu

# The content areas; each is bumped by the triggers its app's migrations declare.
AIDES = "aides"  # aids, organisations, fundings, zonings, territories (aides 0003)
INSTALLATION = "installation"  # parcours, steps, documents, contacts, events (installation 0009)
# headcounts, populations, sources, territories (demographie 0004), their summary and the
# published bulletins (demographie 0008)
DEMOGRAPHIE = "demographie"
# referents, places, motifs, opening hours, absences, meetings (rendezvous), the referents'
# names on their accounts (guichet 0013)
AGENDA = "agenda"
OPPORTUNITES = "opportunites"  # published posts (opportunites)
PAGES = "pages"  # editorial pages, site configuration, territories (guichet)
# Not a page's: the headcounts and sources the demography summary is built from (demographie 0006)
EFFECTIFS = "effectifs"
ZONES = (AIDES, INSTALLATION, DEMOGRAPHIE, AGENDA, OPPORTUNITES, PAGES, EFFECTIFS)
# The staff space's working data (questions, follow-ups, usage counters: espace 0003) and the
# accounts' scopes (territories, roles): what the staff dashboard is kept under. Written all
# day, shown on no public page: left out of ``version_globale()``, so a question asked or a
# counter written never empties the page cache, and never taken for a page's table.
ESPACE = "espace"
HORS_PAGES = (ESPACE,)


# Inside a GET or HEAD request, every reader sees the counters read once, at its first read
# (one query for all the areas): the fragments of one response all come from one snapshot.
_instantane: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "versions_de_la_requete", default=None
)


def _toutes() -> dict[str, int]:
    instantane = _instantane.get()
    if instantane is not None and instantane[0] is not None:
        return instantane[0]
    valeurs = dict(VersionContenu.objects.values_list("cle", "valeur"))
    if instantane is not None:
        instantane[0] = valeurs
    return valeurs


def versions(*zones: str) -> tuple[int, ...]:
    """The current counters of the content areas, in one query (0 for an area never written)."""
    if _instantane.get() is None:
        lues = VersionContenu.objects.filter(cle__in=zones).values_list("cle", "valeur")
        valeurs = dict(lues)
    else:
        valeurs = _toutes()
    return tuple(valeurs.get(zone, 0) for zone in zones)


def version_globale() -> int:
    """One number that changes whenever any content area changes (one query), the same in
    every process: a hash of every counter. Not their maximum: two transactions committing in
    the other order than they drew their numbers would leave the maximum unchanged."""
    valeurs = _toutes()
    texte = ",".join(f"{cle}={valeurs[cle]}" for cle in sorted(valeurs) if cle not in HORS_PAGES)
    return int.from_bytes(hashlib.blake2b(texte.encode(), digest_size=8).digest(), "big") >> 1


class VersionsDeLaRequete:
    """Middleware: a GET or HEAD request reads the content versions once (guichet.versions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        jeton = _instantane.set([None])
        try:
            return self.get_response(request)
        finally:
            _instantane.reset(jeton)


DECLENCHEUR = """
CREATE TRIGGER {nom} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_version_contenu('{zone}');
"""
# With ``colonnes``: an insert, a delete or a truncate bumps at statement level; an update
# bumps only for the rows where one of those columns really changed (row level, WHEN), so that
# a save() rewriting every column with the same values (a password change) bumps nothing.
DECLENCHEUR_SANS_MISE_A_JOUR = """
CREATE TRIGGER {nom} AFTER INSERT OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_version_contenu('{zone}');
"""
DECLENCHEUR_DES_COLONNES = """
CREATE TRIGGER {nom} AFTER UPDATE OF {colonnes} ON {table} FOR EACH ROW
    WHEN ({changees}) EXECUTE FUNCTION guichet_version_contenu('{zone}');
"""


def _operations(zone: str, table: str, colonnes: list[str] | None) -> list[migrations.RunSQL]:
    nom = f"{table}_version_{zone}"
    if not colonnes:
        sql = DECLENCHEUR.format(nom=nom, table=table, zone=zone)
        return [migrations.RunSQL(sql, f"DROP TRIGGER {nom} ON {table};")]
    changees = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in colonnes)
    nom_colonnes = f"{table}_colonnes_version_{zone}"
    return [
        migrations.RunSQL(
            DECLENCHEUR_SANS_MISE_A_JOUR.format(nom=nom, table=table, zone=zone),
            f"DROP TRIGGER {nom} ON {table};",
        ),
        migrations.RunSQL(
            DECLENCHEUR_DES_COLONNES.format(
                nom=nom_colonnes,
                colonnes=", ".join(colonnes),
                table=table,
                zone=zone,
                changees=changees,
            ),
            f"DROP TRIGGER {nom_colonnes} ON {table};",
        ),
    ]


def declencheurs(
    zone: str, tables: list[str], colonnes: list[str] | None = None
) -> list[migrations.RunSQL]:
    """Migration operations: every statement writing one of ``tables`` bumps ``zone``; with
    ``colonnes`` (the columns the pages show), an update bumps it only when it changes one of
    them in some row (a sign-in writing ``last_login`` does not)."""
    assert zone in ZONES + HORS_PAGES, zone
    return [operation for table in tables for operation in _operations(zone, table, colonnes)]
