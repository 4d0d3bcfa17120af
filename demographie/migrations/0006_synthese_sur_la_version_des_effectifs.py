from django.db import migrations

from guichet.versions import EFFECTIFS, declencheurs

# The demography summary's staleness now uses the content versions (guichet.versions): every
# statement writing headcounts or sources (the summary copies a source's label and "fictive"
# flag) bumps "effectifs" through the one version function; the summary's own trigger function
# and counter go.
SANS_L_ANCIEN = """
DROP TRIGGER demographie_effectif_version ON demographie_effectif;
DROP TRIGGER demographie_source_synthese ON demographie_source;
DROP FUNCTION demographie_effectif_version();
DELETE FROM demographie_etatsynthese WHERE cle = 'effectifs';
"""
AVEC_L_ANCIEN = """
CREATE FUNCTION demographie_effectif_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO demographie_etatsynthese (cle, valeur) VALUES ('effectifs', 1)
    ON CONFLICT (cle) DO UPDATE SET valeur = demographie_etatsynthese.valeur + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER demographie_effectif_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON demographie_effectif
    FOR EACH STATEMENT EXECUTE FUNCTION demographie_effectif_version();
CREATE TRIGGER demographie_source_synthese
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON demographie_source
    FOR EACH STATEMENT EXECUTE FUNCTION demographie_effectif_version();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("demographie", "0005_libelles_accentues"),
        ("guichet", "0011_version_du_contenu_dans_le_socle"),
    ]

    operations = [
        migrations.RunSQL(SANS_L_ANCIEN, AVEC_L_ANCIEN),
        *declencheurs(EFFECTIFS, ["demographie_effectif", "demographie_source"]),
    ]
