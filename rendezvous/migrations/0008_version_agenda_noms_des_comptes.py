from django.db import migrations

# A referent's name (their account's first name, last name or e-mail address) is printed on
# the public pages that list referents: changing it bumps the "agenda" content version
# (guichet.versions). Row level with a condition, not statement level: an account table is
# written at every sign-in (last_login), which must not make every page's version move.
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
        ("rendezvous", "0007_version_agenda_par_declencheurs"),
    ]

    operations = [
        migrations.RunSQL(NOMS, "DROP TRIGGER guichet_user_noms_version_agenda ON guichet_user;"),
    ]
