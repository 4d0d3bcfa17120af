"""A parcours had two switches: the old ``publie`` box and the publication workflow's status.
An unticked box becomes a draft, then the box goes."""

from django.db import migrations


def cases_decochees_en_brouillons(apps, schema_editor):
    Parcours = apps.get_model("installation", "Parcours")
    Parcours.objects.filter(publie=False, statut_publication="publiee").update(
        statut_publication="brouillon"
    )


class Migration(migrations.Migration):
    dependencies = [("installation", "0006_fusion_phases_et_publication")]

    operations = [
        migrations.RunPython(cases_decochees_en_brouillons, migrations.RunPython.noop),
        migrations.RemoveField(model_name="parcours", name="publie"),
    ]
