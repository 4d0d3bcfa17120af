"""A group for editing parcours, documents and events, apart from managing meetings.

Permissions are synced on post_migrate (guichet.roles.REDACTEUR_INSTALLATION).
"""

from django.db import migrations

GROUPE = "Rédacteur installation"


def creer(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUPE)


def supprimer(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUPE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("rendezvous", "0002_statuts_gardes_et_lien_visio"),
    ]

    operations = [migrations.RunPython(creer, supprimer)]
