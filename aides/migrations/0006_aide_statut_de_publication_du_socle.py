"""Aids use the core's publication workflow (guichet.publication): ``Aide.statut`` becomes
``statut_publication``. The stored values are the same three (brouillon, publiee, archivee),
so renaming the column keeps every aid's status; a closed scheme stays ``valide_au``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("aides", "0005_aide_licence_remplacement")]

    operations = [
        migrations.RenameField(model_name="aide", old_name="statut", new_name="statut_publication"),
        migrations.AlterField(
            model_name="aide",
            name="statut_publication",
            field=models.CharField(
                choices=[
                    ("brouillon", "Brouillon"),
                    ("publiee", "Publiée"),
                    ("archivee", "Archivée"),
                ],
                default="brouillon",
                help_text="Un brouillon ou un contenu archivé n'apparaît jamais sur le site public.",
                max_length=20,
                verbose_name="publication",
            ),
        ),
    ]
