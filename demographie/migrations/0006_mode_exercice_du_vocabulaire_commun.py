"""The mode of practice comes from the core's vocabulary (guichet.vocabulaire.ModeExercice):
same stored values, the labels of the shared enum (no change in the database)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("demographie", "0005_libelles_accentues")]

    operations = [
        migrations.AlterField(
            model_name="effectif",
            name="mode_exercice",
            field=models.CharField(
                choices=[
                    ("liberal", "Exercice libéral"),
                    ("salarie", "Exercice salarié"),
                    ("mixte", "Exercice mixte"),
                    ("inconnu", "Mode d'exercice inconnu"),
                ],
                max_length=7,
                verbose_name="mode d'exercice",
            ),
        ),
    ]
