import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from guichet import env
from guichet.planification import TACHES
from guichet.taches import cle_du_verrou, tache_planifiee


class Essai(BaseCommand):
    appels = 0

    @tache_planifiee("essai")
    def handle(self, *args, **options):
        Essai.appels += 1
        self.stdout.write("fait")


class Panne(BaseCommand):
    @tache_planifiee("panne")
    def handle(self, *args, **options):
        raise RuntimeError("disque plein")


@pytest.fixture
def autre_session(db):
    """A second database session, as another server running the same command would hold."""
    autre = connections.create_connection("default")
    yield autre
    autre.close()


@pytest.mark.django_db
def test_une_tache_deja_en_cours_ailleurs_ne_tourne_pas_deux_fois(autre_session, caplog):
    cle = cle_du_verrou("guichet.tache.essai")
    with autre_session.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [cle])
    Essai.appels = 0
    sortie = io.StringIO()
    with caplog.at_level(logging.INFO, logger="guichet.taches"):
        call_command(Essai(), stdout=sortie)
    assert Essai.appels == 0 and "déjà en cours ailleurs" in sortie.getvalue()
    assert "essai : déjà en cours ailleurs" in caplog.text
    with autre_session.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [cle])
    call_command(Essai(), stdout=sortie)
    assert Essai.appels == 1 and "fait" in sortie.getvalue()
    with autre_session.cursor() as cursor:  # released after the run: another one may take it
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [cle])
        assert cursor.fetchone()[0] is True


@pytest.mark.django_db
def test_une_tache_en_echec_sort_en_erreur_et_le_journalise(caplog):
    with caplog.at_level(logging.INFO, logger="guichet.taches"), pytest.raises(CommandError) as e:
        call_command(Panne(), stdout=io.StringIO())
    assert e.value.returncode == 1 and "disque plein" in str(e.value)
    assert "panne : échec" in caplog.text


def test_chaque_tache_planifiee_est_verrouillee():
    from django.core.management import get_commands, load_command_class

    commandes = get_commands()
    for nom, _, _ in TACHES:
        commande = load_command_class(commandes[nom], nom)
        assert getattr(commande.handle, "tache_planifiee", None) == nom


def test_le_planificateur_liste_ses_taches():
    sortie = io.StringIO()
    call_command("planificateur", "--lister", stdout=sortie)
    assert "envoyer_rappels : minute=*/15" in sortie.getvalue()
    assert "purger_donnees : hour=3 minute=10" in sortie.getvalue()


def test_un_secret_se_lit_dans_un_fichier(monkeypatch, tmp_path):
    secret = tmp_path / "cle"
    secret.write_text("valeur-secrete\n")
    monkeypatch.delenv("CLE_ESSAI", raising=False)
    monkeypatch.setenv("CLE_ESSAI_FILE", str(secret))
    assert env.env_secret("CLE_ESSAI", required=True, dev_default="") == "valeur-secrete"
    monkeypatch.setenv("CLE_ESSAI", "")  # an empty variable (from .env) does not hide the file
    assert env.env_str("CLE_ESSAI") == "valeur-secrete"
    monkeypatch.setenv("CLE_ESSAI", "directe")
    assert env.env_str("CLE_ESSAI") == "directe"
    monkeypatch.delenv("CLE_ESSAI")
    monkeypatch.setenv("CLE_ESSAI_FILE", str(tmp_path / "absent"))
    with pytest.raises(Exception, match="CLE_ESSAI_FILE"):
        env.env_str("CLE_ESSAI")


@pytest.mark.django_db
def test_la_table_du_cache_existe_apres_migrate(settings):
    """The release step is migrate alone: the database cache table comes with it."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guichet_cache",
        },
    }
    from django.core.cache import caches

    cache = caches.create_connection("default")
    cache.set("essai", 41)
    assert cache.incr("essai") == 42


@pytest.mark.django_db
def test_l_etape_de_deploiement(client):
    from tests.factories import RegionFactory

    RegionFactory()  # territories already there: not reloaded
    sortie = io.StringIO()
    call_command("deployer", verbosity=0, stdout=sortie)
    assert "Déploiement : base à jour." in sortie.getvalue()
    assert client.get("/healthz").content == b"ok"


@pytest.mark.django_db
def test_purger_les_imports_abandonnes(time_machine):
    from django.core.files.storage import default_storage

    from guichet import imports_en_attente
    from guichet.models import ImportEnAttente
    from tests.factories import UserFactory

    auteur = UserFactory(agent_ars=True)
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    vieux = imports_en_attente.deposer(nature="essai", fichier="a;b\n", auteur=auteur)
    time_machine.move_to(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))
    recent = imports_en_attente.deposer(nature="essai", fichier="c;d\n", auteur=auteur)
    nom_vieux = ImportEnAttente.objects.get(jeton=vieux).fichier.name
    assert imports_en_attente.reprendre(nature="essai", jeton=vieux, auteur=auteur) is None
    call_command("purger_imports", stdout=io.StringIO())
    assert list(ImportEnAttente.objects.values_list("jeton", flat=True)) == [recent]
    assert not default_storage.exists(nom_vieux)
    attente = imports_en_attente.reprendre(nature="essai", jeton=recent, auteur=auteur)
    assert imports_en_attente.lire_texte(attente) == "c;d\n"
