"""The booking models now belong to the ``rendezvous`` app: removed from this app's state only.

Their tables, rows and constraints stay in the database (``rendezvous.0001`` adopts them).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("installation", "0003_documents_des_aides"),
        ("rendezvous", "0001_depuis_installation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="RendezVous"),
                migrations.DeleteModel(name="Absence"),
                migrations.DeleteModel(name="PlageOuverture"),
                migrations.DeleteModel(name="Referent"),
                migrations.DeleteModel(name="Lieu"),
                migrations.DeleteModel(name="MotifRendezVous"),
            ],
        )
    ]
