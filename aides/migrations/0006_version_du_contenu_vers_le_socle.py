from django.db import migrations

# The content counters' model now lives in the core (guichet 0011): state only, the table stays.


class Migration(migrations.Migration):
    dependencies = [
        ("aides", "0005_aide_licence_remplacement"),
        ("guichet", "0011_version_du_contenu_dans_le_socle"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="VersionContenu")],
        ),
    ]
