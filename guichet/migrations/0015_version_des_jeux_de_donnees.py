from django.db import migrations

from guichet.versions import PAGES, declencheurs

# The record of which data sets are loaded (guichet.commandes: est_charge / marquer_charge),
# read by pages that say where their figures come from: written once per import, it bumps the
# "pages" content version so those pages can be kept whole (guichet.cache_pages).


class Migration(migrations.Migration):
    dependencies = [("guichet", "0014_version_du_site")]

    operations = declencheurs(PAGES, ["guichet_jeudedonnees"])
