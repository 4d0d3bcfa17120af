from django.db import migrations

from guichet.versions import AGENDA, declencheurs

# The public pages that list referents (a commune's page, the motifs of a département) print
# their account's first name, last name or e-mail address: a change of one of them bumps the
# "agenda" content version (guichet.versions), and so does a new or deleted account. A sign-in
# (``last_login``), a password or any other column changes nothing the pages show: no bump.
# It replaces the row trigger rendezvous 0008 created on this table (dropped by rendezvous 0009).
COLONNES = ["first_name", "last_name", "email"]


class Migration(migrations.Migration):
    dependencies = [("guichet", "0012_version_des_pages")]

    operations = declencheurs(AGENDA, ["guichet_user"], colonnes=COLONNES)
