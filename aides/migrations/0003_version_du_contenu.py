from django.db import migrations, models

# Every statement that writes a table shown by the aid pages bumps the "aides" counter
# (see aides.versions): admin, imports, shell and bulk updates alike. Territories too: their
# names and the département options are part of the aid list's form and pages.
TABLES = [
    "aides_aide", "aides_aide_regions", "aides_aide_departements", "aides_aide_communes",
    "aides_aide_liees", "aides_financement", "aides_organisation", "aides_zonage",
    "guichet_region", "guichet_departement", "guichet_commune",
]  # fmt: skip
# Values come from a sequence, which a rollback does not rewind: a version number seen once
# (even inside a transaction later rolled back) is never given to other content.
FONCTION = """
CREATE SEQUENCE aides_versioncontenu_seq;
CREATE FUNCTION aides_version_contenu() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO aides_versioncontenu (cle, valeur)
    VALUES (TG_ARGV[0], nextval('aides_versioncontenu_seq'))
    ON CONFLICT (cle) DO UPDATE SET valeur = EXCLUDED.valeur;
    RETURN NULL;
END $$;
"""
DECLENCHEUR = """
CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION aides_version_contenu('aides');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("aides", "0002_vecteur_de_recherche_dans_la_ligne"),
    ]

    operations = [
        migrations.CreateModel(
            name="VersionContenu",
            fields=[
                ("cle", models.CharField(max_length=20, primary_key=True, serialize=False)),
                ("valeur", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "version du contenu"},
        ),
        migrations.RunSQL(
            FONCTION,
            "DROP FUNCTION aides_version_contenu(); DROP SEQUENCE aides_versioncontenu_seq;",
        ),
        *(
            migrations.RunSQL(
                DECLENCHEUR.format(table=table), f"DROP TRIGGER {table}_version ON {table};"
            )
            for table in TABLES
        ),
    ]
