from django.db import migrations

# Every statement that writes a table the demography pages show bumps the "demographie"
# content counter (aides.versions, the function of aides 0003): imports, admin, shell alike.
# The territories too: their names and outlines' labels are on the pages.
TABLES = [
    "demographie_effectif", "demographie_population", "demographie_source",
    "demographie_indicateurdispositif", "guichet_region", "guichet_departement",
    "guichet_commune",
]  # fmt: skip
DECLENCHEUR = """
CREATE TRIGGER {table}_version_demographie
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION aides_version_contenu('demographie');
"""


# The summary copies each source's label and "fictive" flag (demographie.synthese): a source
# edited in the admin marks the summary stale, as a headcount write does (it was left showing
# the old label until the next import).
SOURCE_PERIME_LA_SYNTHESE = """
CREATE TRIGGER demographie_source_synthese
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON demographie_source
    FOR EACH STATEMENT EXECUTE FUNCTION demographie_effectif_version();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("demographie", "0003_synthese_des_effectifs"),
        ("aides", "0003_version_du_contenu"),
    ]

    operations = [
        *(
            migrations.RunSQL(
                DECLENCHEUR.format(table=table),
                f"DROP TRIGGER {table}_version_demographie ON {table};",
            )
            for table in TABLES
        ),
        migrations.RunSQL(
            SOURCE_PERIME_LA_SYNTHESE,
            "DROP TRIGGER demographie_source_synthese ON demographie_source;",
        ),
    ]
