from django.db import migrations

from guichet.versions import AGENDA, declencheurs

# Every statement that writes a table the free slots are computed from bumps the "agenda"
# content version (guichet.versions): a booking, a cancellation, a move, an absence, opening
# hours and their motifs, a place, a referent joining, leaving or deactivated, whether it comes
# from a form, the admin, a queryset update, a bulk_create or raw SQL. It replaces the
# referents' own counter, which Python signals bumped and bulk writes missed.
TABLES = [
    "installation_referent", "installation_referent_departements", "installation_lieu",
    "installation_motifrendezvous", "installation_plageouverture",
    "installation_plageouverture_motifs", "installation_absence", "installation_rendezvous",
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("rendezvous", "0006_libelles_accentues"),
        ("guichet", "0011_version_du_contenu_dans_le_socle"),
    ]

    operations = [
        migrations.RemoveField(model_name="referent", name="version_agenda"),
        *declencheurs(AGENDA, TABLES),
    ]
