from django.db import migrations

from guichet.versions import OPPORTUNITES, declencheurs

# Every statement that writes an opportunity bumps the "opportunites" content version
# (guichet.versions). Messages to a post's author are not public content.
TABLES = ["opportunites_opportunite"]


class Migration(migrations.Migration):
    dependencies = [
        ("opportunites", "0003_message_opportunite"),
        ("guichet", "0011_version_du_contenu_dans_le_socle"),
    ]

    operations = declencheurs(OPPORTUNITES, TABLES)
