from django.db import migrations

# The accounts' names bump the "agenda" version through the core's triggers (guichet 0013,
# built by guichet.versions.declencheurs like every other table's): this app's own trigger on
# the accounts table goes.
NOMS = """
CREATE TRIGGER guichet_user_noms_version_agenda
    AFTER UPDATE OF first_name, last_name, email ON guichet_user FOR EACH ROW
    WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name
          OR OLD.last_name IS DISTINCT FROM NEW.last_name
          OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION guichet_version_contenu('agenda');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("rendezvous", "0008_version_agenda_noms_des_comptes"),
        ("guichet", "0013_version_des_noms_des_comptes"),
    ]

    operations = [
        migrations.RunSQL("DROP TRIGGER guichet_user_noms_version_agenda ON guichet_user;", NOMS),
    ]
