from django.db import migrations

from guichet.versions import DEMOGRAPHIE, declencheurs

# The pages read the headcounts' summary (territory pages, CSV exports, the bulletins' list)
# and the published bulletins: writing them bumps the "demographie" content version
# (guichet.versions), so those pages are kept whole. "demographie", not "effectifs": the
# summary records the "effectifs" version it was built from, which its own writes must not move.
# The summary is written only by each import's rebuild (in the import's transaction, which
# bumps anyway) or by a rebuild after a write that skipped it (synthese.assurer_a_jour).
# A bulletin bumps when a column the list shows changes (publication), not when the hourly job
# renders a draft's current edition (edition, version_donnees, edition_generee_le).
COLONNES_DU_BULLETIN = [
    "annee", "niveau", "code_territoire", "region_id", "departement_id", "statut", "fichier",
    "publie_le",
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("demographie", "0007_fusion_index_modes_et_synthese"),
        ("guichet", "0013_version_des_noms_des_comptes"),
    ]

    operations = [
        *declencheurs(DEMOGRAPHIE, ["demographie_synthese", "demographie_etatsynthese"]),
        *declencheurs(DEMOGRAPHIE, ["demographie_bulletin"], colonnes=COLONNES_DU_BULLETIN),
    ]
