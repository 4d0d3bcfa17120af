from django.db import migrations

# Every statement that writes a table shown by the parcours, step and aid pages bumps the
# "installation" counter (aides.versions, function from migration aides 0003). Users' own plans
# and the meeting tables are not content: they are never kept in a page fragment.
TABLES = [
    "installation_parcours", "installation_etape", "installation_etape_aides",
    "installation_contact", "installation_document", "installation_document_aides",
    "installation_document_etapes", "installation_document_parcours",
    "installation_evenement", "installation_actualite",
]  # fmt: skip
DECLENCHEUR = """
CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION aides_version_contenu('installation');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("aides", "0003_version_du_contenu"),
        ("installation", "0008_phases_du_centre_de_sante"),
    ]

    operations = [
        migrations.RunSQL(
            DECLENCHEUR.format(table=table), f"DROP TRIGGER {table}_version ON {table};"
        )
        for table in TABLES
    ]
