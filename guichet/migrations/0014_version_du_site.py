from django.db import migrations

from guichet.versions import PAGES, declencheurs

# The sites framework's row (the site's name and domain, read by allauth's pages and e-mails):
# a write to it bumps the "pages" content version like the site's DSFR configuration, so the
# form pages that read it can be kept whole (guichet.cache_pages).


class Migration(migrations.Migration):
    dependencies = [
        ("guichet", "0013_version_des_noms_des_comptes"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = declencheurs(PAGES, ["django_site"])
