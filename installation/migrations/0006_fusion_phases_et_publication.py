from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("installation", "0004_phases_des_projets_collectifs"),
        ("installation", "0005_parcours_documents_publication"),
    ]

    operations = []
