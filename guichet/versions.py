"""Content versions: one counter per content area, the only thing a cache is keyed on.

PostgreSQL sets the counter of an area on every statement that writes one of its tables: one
function (``guichet_version_contenu``, values from one sequence, which a rollback does not
rewind) called by statement-level triggers, so an admin save, an import, a publication status
change, a queryset ``update()``, a ``bulk_create`` or a raw SQL statement from a shell all give
a new number, in the writing transaction: a reader sees the new number together with the new
data. Each app lists its tables in a migration built with ``declencheurs(zone, tables)``.

A reader reads the counters *before* the content: what it builds from content newer than its
counter is only ever a spare copy (the next read finds a higher counter), never a stale one.
"""

from django.db import connection, migrations

from guichet.models import VersionContenu

# The content areas; each is bumped by the triggers its app's migrations declare.
AIDES = "aides"  # aids, organisations, fundings, zonings, territories (aides 0003)
INSTALLATION = "installation"  # parcours, steps, documents, contacts, events (installation 0009)
DEMOGRAPHIE = "demographie"  # headcounts, populations, sources, territories (demographie 0004)
AGENDA = "agenda"  # referents, places, motifs, opening hours, absences, meetings (rendezvous)
OPPORTUNITES = "opportunites"  # published posts (opportunites)
PAGES = "pages"  # editorial pages, site configuration, territories (guichet)
ZONES = (AIDES, INSTALLATION, DEMOGRAPHIE, AGENDA, OPPORTUNITES, PAGES)


def versions(*zones: str) -> tuple[int, ...]:
    """The current counters of the content areas, in one query (0 for an area never written)."""
    valeurs = dict(VersionContenu.objects.filter(cle__in=zones).values_list("cle", "valeur"))
    return tuple(valeurs.get(zone, 0) for zone in zones)


def version_globale() -> int:
    """One number that changes whenever any content area changes (one query), the same in
    every process: a hash of every counter. Not their maximum: two transactions committing in
    the other order than they drew their numbers would leave the maximum unchanged."""
    with connection.cursor() as curseur:
        curseur.execute(
            f"SELECT COALESCE(hashtextextended(string_agg(cle || '=' || valeur, ','"
            f" ORDER BY cle), 0), 0) FROM {VersionContenu._meta.db_table}"
        )
        return curseur.fetchone()[0]


DECLENCHEUR = """
CREATE TRIGGER {nom} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_version_contenu('{zone}');
"""


def declencheurs(zone: str, tables: list[str]) -> list[migrations.RunSQL]:
    """Migration operations: every statement writing one of ``tables`` bumps ``zone``."""
    assert zone in ZONES, zone
    return [
        migrations.RunSQL(
            DECLENCHEUR.format(nom=f"{table}_version_{zone}", table=table, zone=zone),
            f"DROP TRIGGER {table}_version_{zone} ON {table};",
        )
        for table in tables
    ]
