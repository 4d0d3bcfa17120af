"""The one cache (guichet.cache): whatever the write path — the admin, a model save, a queryset
update, raw SQL — the next request shows it, for aids, steps and the site's own settings, and
a GET request reads the content versions once."""

import pytest
from django.db import connection
from django.urls import reverse
from dsfr.models import DsfrConfig

from aides.models import Aide
from guichet.cache import Memoire, memoire
from installation.models import Etape
from tests.aides.factories import AideFactory
from tests.factories import DepartementFactory, RegionFactory, UserFactory
from tests.guichet.test_isolation import donnees_du_formulaire
from tests.installation.factories import EtapeFactory, ParcoursFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deux_sevres():
    return DepartementFactory(
        code="79", nom="Deux-Sèvres", region=RegionFactory(nouvelle_aquitaine=True)
    )


def _sql(table: str, colonne: str, valeur: str, pk: int) -> None:
    with connection.cursor() as curseur:
        curseur.execute(f"UPDATE {table} SET {colonne} = %s WHERE id = %s", [valeur, pk])


def _par_l_administration(client, modele, obj, champ, valeur):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_change",
                  args=[obj.pk])  # fmt: skip
    donnees, _, _ = donnees_du_formulaire(client, url, modele)
    donnees[champ] = [valeur]
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    client.logout()


ECRITURES = ["save", "update", "sql", "admin"]


def _ecrire(client, modele, obj, champ, valeur, facon):
    if facon == "save":
        setattr(obj, champ, valeur)
        obj.save()
    elif facon == "update":
        modele.objects.filter(pk=obj.pk).update(**{champ: valeur})
    elif facon == "sql":
        _sql(modele._meta.db_table, champ, valeur, obj.pk)
    else:
        _par_l_administration(client, modele, obj, champ, valeur)


@pytest.mark.parametrize("facon", ECRITURES)
def test_une_aide_modifiee_se_lit_a_la_requete_suivante(client, facon):
    aide = AideFactory(nom="Aide au logement", slug="logement")
    page, liste = aide.get_absolute_url(), reverse("aides:liste")
    assert "Aide au logement" in client.get(page).content.decode()
    assert "Aide au logement" in client.get(liste).content.decode()
    _ecrire(client, Aide, aide, "nom", "Aide au logement des internes", facon)
    assert "Aide au logement des internes" in client.get(page).content.decode()
    assert "Aide au logement des internes" in client.get(liste).content.decode()


@pytest.mark.parametrize("facon", ECRITURES)
def test_une_etape_modifiee_se_lit_a_la_requete_suivante(client, deux_sevres, facon):
    parcours = ParcoursFactory(slug="infirmier-liberal")
    etape = EtapeFactory(parcours=parcours, ordre=1, slug="ordre", titre="S'inscrire")
    pages = [etape.get_absolute_url(), parcours.get_absolute_url()]
    for url in pages:
        assert "S&#x27;inscrire" in client.get(url, {"departement": "79"}).content.decode()
    _ecrire(client, Etape, etape, "titre", "Demander son inscription", facon)
    for url in pages:
        assert "Demander son inscription" in client.get(url, {"departement": "79"}).content.decode()


@pytest.mark.parametrize("facon", ["update", "sql"])
def test_la_configuration_du_site_sans_signal(client, facon):
    """django-dsfr's configuration was kept a minute in each process and forgotten only on a
    model save: a queryset update or raw SQL showed the old one until then."""
    DsfrConfig.objects.all().delete()
    config = DsfrConfig.objects.create(language="fr", site_title="Ancien titre")
    assert client.get("/").context["SITE_CONFIG"].site_title == "Ancien titre"
    _ecrire(client, DsfrConfig, config, "site_title", "Nouveau titre", facon)
    assert client.get("/").context["SITE_CONFIG"].site_title == "Nouveau titre"


def test_une_requete_lit_les_versions_une_fois(client, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    AideFactory(nom="Aide au logement", slug="logement")
    client.get(reverse("aides:liste"))
    with CaptureQueriesContext(connection) as requetes:
        client.get(reverse("aides:liste"))
    lectures = [q for q in requetes.captured_queries if "aides_versioncontenu" in q["sql"]]
    assert len(lectures) == 1, [q["sql"] for q in lectures]


def test_chaque_memoire_a_son_budget_dans_les_reglages(settings):
    from guichet.text import markdown_sur
    from rendezvous.creneaux import _feries_de_l_annee
    from rendezvous.views import _libelle_jour

    for nom, taille in settings.MEMOIRE_PROCESSUS.items():
        assert memoire(nom).taille == taille > 0
    bornes = {
        "markdown": markdown_sur,
        "rendezvous.jours": _libelle_jour,
        "rendezvous.feries": _feries_de_l_annee,
    }
    for nom, fonction in bornes.items():
        assert fonction.cache_parameters()["maxsize"] == settings.MEMOIRE_PROCESSUS[nom]
    with pytest.raises(KeyError):
        Memoire("sans-budget")  # a new kind of memory must be listed in the settings


def test_une_memoire_garde_au_plus_son_budget(settings):
    settings.MEMOIRE_PROCESSUS = {**settings.MEMOIRE_PROCESSUS, "essai-budget": 2}
    essai = Memoire("essai-budget")
    for cle in "abc":
        essai.set(cle, cle)
    essai.get("b")  # b was used last: a goes first, then c
    essai.set("d", "d")
    assert len(essai) == 2 and essai.get("a") is None and essai.get("c") is None
    assert essai.get("b") == "b" and essai.get("d") == "d"
