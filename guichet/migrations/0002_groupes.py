"""Staff groups; their permissions are synced on post_migrate (see guichet.roles)."""

from django.db import migrations

GROUPES = ["Administrateur national", "Agent ARS", "Référent installation"]


def creer(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for nom in GROUPES:
        Group.objects.get_or_create(name=nom)


def supprimer(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPES).delete()


class Migration(migrations.Migration):
    dependencies = [("guichet", "0001_socle")]

    operations = [migrations.RunPython(creer, supprimer)]
