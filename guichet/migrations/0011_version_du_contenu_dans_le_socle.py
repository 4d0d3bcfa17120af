from django.db import migrations, models

# The content counters move to the core (guichet.versions): the model's state only, the table
# keeps its name. The one function every content trigger calls is renamed; the triggers
# created by aides 0003, installation 0009 and demographie 0004 follow it (bound by identity).
RENOMMER = "ALTER FUNCTION aides_version_contenu() RENAME TO guichet_version_contenu;"
REVENIR = "ALTER FUNCTION guichet_version_contenu() RENAME TO aides_version_contenu;"


class Migration(migrations.Migration):
    dependencies = [
        ("guichet", "0010_commune_centroide"),
        ("aides", "0003_version_du_contenu"),
        # the last migrations creating triggers under the function's former name
        ("installation", "0009_version_du_contenu"),
        ("demographie", "0004_version_du_contenu"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="VersionContenu",
                    fields=[
                        (
                            "cle",
                            models.CharField(
                                max_length=20,
                                primary_key=True,
                                serialize=False,
                                verbose_name="clé",
                            ),
                        ),
                        ("valeur", models.BigIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "version du contenu",
                        "db_table": "aides_versioncontenu",
                    },
                ),
            ],
            database_operations=[migrations.RunSQL(RENOMMER, REVENIR)],
        ),
    ]
