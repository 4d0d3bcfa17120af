from django.db import migrations

from guichet.versions import ESPACE, declencheurs

# What the staff dashboard is computed from, bumping the "espace" version (left out of the
# public pages' version, guichet.versions): the staff space's working data, and each account's
# scope (its territories, its roles, its national or staff flags), so a dashboard kept under
# that version never shows an account figures it has just lost.


class Migration(migrations.Migration):
    dependencies = [
        ("espace", "0002_libelles_accentues"),
        ("guichet", "0015_version_des_jeux_de_donnees"),
    ]

    operations = [
        *declencheurs(
            ESPACE,
            [
                "espace_question",
                "espace_messagequestion",
                "espace_accompagnement",
                "espace_accompagnement_aides",
                "espace_changementetape",
                "espace_compteurjournalier",
                "guichet_user_regions",
                "guichet_user_departements",
                "guichet_user_groups",
            ],
        ),
        *declencheurs(
            ESPACE,
            ["guichet_user"],
            colonnes=["is_active", "is_staff", "is_superuser", "perimetre_national"],
        ),
    ]
