from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("guichet", "0003_site_nom_et_domaine"),
        ("guichet", "0005_fusion_publication_et_cache"),
    ]

    operations = []
