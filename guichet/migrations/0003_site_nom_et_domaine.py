"""The portal's name and domain on django.contrib.sites (account e-mails and pages).

Without it, allauth writes "example.com" in every e-mail. The values come from SITE_URL and
PORTAIL_NOM at migration time; guichet.apps also resyncs them after each migrate.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def nommer_le_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domaine = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domaine[:100], "name": settings.PORTAIL_NOM[:50]}
    )


def remettre_example(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")


class Migration(migrations.Migration):
    dependencies = [
        ("guichet", "0002_groupes"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(nommer_le_site, remettre_example)]
