from django.db import migrations

from guichet.versions import PAGES, declencheurs

# Every statement that writes what the core's own pages show bumps the "pages" content version
# (guichet.versions): editorial pages, the site's DSFR configuration and territories (names,
# options of every territory selector).
TABLES = [
    "guichet_pageeditoriale", "dsfr_dsfrconfig", "dsfr_dsfrsocialmedia", "guichet_region",
    "guichet_departement", "guichet_commune",
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("guichet", "0011_version_du_contenu_dans_le_socle"),
        ("dsfr", "0012_dsfrconfig_notice_description_and_more"),
    ]

    operations = declencheurs(PAGES, TABLES)
