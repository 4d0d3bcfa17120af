"""What the aid list keeps between requests (aides.rendu, guichet.cache) follows every write
that changes it: admin save, publication status, bulk update, import, organisation renamed,
zoning decree, and the day an aid closes. No CSRF token or CSP nonce is ever kept."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from aides.models import Aide, Organisation
from guichet.cache import Fragments
from guichet.publication import StatutPublication
from guichet.versions import versions
from tests.aides.factories import AideFactory, OrganisationFactory, ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

LISTE = reverse("aides:liste")


@pytest.fixture
def deux_sevres():
    return DepartementFactory(
        code="79", nom="Deux-Sèvres", region=RegionFactory(nouvelle_aquitaine=True)
    )


def _liste(client, **parametres) -> str:
    response = client.get(LISTE, parametres)
    assert response.status_code == 200
    return response.content.decode()


def test_chaque_ecriture_change_la_version():
    avant = versions("aides")[0]
    aide = AideFactory()
    apres_creation = versions("aides")[0]
    Aide.objects.filter(pk=aide.pk).update(resume="Autre résumé.")  # bulk: no signal sent
    apres_update = versions("aides")[0]
    Organisation.objects.create(code="cpam", nom="CPAM", type="assurance-maladie")
    assert avant < apres_creation < apres_update < versions("aides")[0]


def test_sauvegarde_dans_l_administration(client, deux_sevres):
    agent = UserFactory(agent_ars=True, regions=[deux_sevres.region])
    aide = AideFactory(nom="Aide au logement", slug="logement", portee="region")
    aide.regions.set([deux_sevres.region])
    assert "Aide au logement" in _liste(client)
    client.force_login(agent)
    donnees = {
        "nom": "Aide au logement des internes",
        "slug": "logement",
        "statut_publication": "publiee",
        "resume": "Logement des internes.",
        "description": "Texte.",
        "type": "logement",
        "portee": "region",
        "regions": [deux_sevres.region.pk],
        "source_url": "https://www.nouvelle-aquitaine.ars.sante.fr/",
        "verifie_le": "2026-11-01",
        "financements-TOTAL_FORMS": "0",
        "financements-INITIAL_FORMS": "0",
        "financements-MIN_NUM_FORMS": "0",
        "financements-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:aides_aide_change", args=[aide.pk]), donnees)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    html = _liste(client)
    assert "Aide au logement des internes" in html and "Logement des internes." in html


def test_changement_de_statut_de_publication(client):
    aide = AideFactory(nom="Aide archivable")
    AideFactory(nom="Aide qui reste")
    assert "Aide archivable" in _liste(client) and "2 aides" in _liste(client)
    aide.archiver()
    aide.save()
    html = _liste(client)
    assert "Aide archivable" not in html and "1 aide" in html
    Aide.objects.filter(pk=aide.pk).update(statut_publication=StatutPublication.PUBLIEE)
    assert "Aide archivable" in _liste(client)


def test_financeur_renomme(client):
    cpam = OrganisationFactory(code="cpam", nom="CPAM des Deux-Sèvres")
    AideFactory(financeurs=[cpam])
    assert "Financé par : CPAM des Deux-Sèvres" in _liste(client)
    assert ">CPAM des Deux-Sèvres</option>" in _liste(client)  # the cached form's options
    cpam.nom = "Caisse primaire des Deux-Sèvres"
    cpam.save()
    html = _liste(client)
    assert "Financé par : Caisse primaire des Deux-Sèvres" in html
    assert ">Caisse primaire des Deux-Sèvres</option>" in html and "CPAM" not in html


def test_import_du_catalogue(client, tmp_path):
    AideFactory(nom="Aide déjà là")
    assert "Aide déjà là" in _liste(client)
    Aide.objects.all().delete()  # what an import's bulk writes look like to the pages
    assert "Aucune aide ne correspond" in _liste(client)


def test_arrete_de_zonage_importe(client, deux_sevres, tmp_path):
    melle = CommuneFactory(code="79174", nom="Melle", departement=deux_sevres)
    AideFactory(nom="Aide en ZIP", zonage_requis=["zip"], professions=["medecin-generaliste"])
    parametres = {"commune": "79174", "profession": "medecin-generaliste"}
    assert "Aide en ZIP" in _liste(client, **parametres)  # unknown zoning: kept, to be checked
    fichier = tmp_path / "zonage.csv"
    fichier.write_text(
        "code_commune;profession;niveau;date_arrete;source\n"
        f"{melle.code};medecin-generaliste;zac;2026-01-01;Arrêté ARS\n",
        encoding="utf-8",
    )
    call_command("import_zonage", str(fichier), verbosity=0)
    html = _liste(client, **parametres)
    assert "Aide en ZIP" not in html and "Zone d&#x27;action complémentaire" in html


def test_une_aide_close_le_lendemain_de_sa_date_de_fin(client):
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0), tick=False) as voyage:
        AideFactory(nom="Aide qui se termine", valide_au=datetime.date(2026, 12, 2))
        html = _liste(client)
        assert "Aide qui se termine" in html and "Se termine le 2 décembre 2026" in html
        voyage.move_to(datetime.datetime(2026, 12, 3, 10, 0))
        assert "Aide qui se termine" not in _liste(client)  # no write in between
        html = _liste(client, ouvertes="0")
        assert "Dispositif clos le 2 décembre 2026" in html and "Se termine" not in html


def test_fragments_sans_jeton_ni_nonce(client):
    AideFactory(nom="Aide unique")
    user = UserFactory()
    client.force_login(user)  # a logged-in page has a CSRF token (logout form)
    premiere, seconde = _liste(client), _liste(client)
    carte = premiere[premiere.index('<div class="fr-card') :]
    carte = carte[: carte.index("</li>")]
    assert "Aide unique" in carte and "nonce" not in carte and "csrf" not in carte
    formulaire = premiere[premiere.index('id="titre-filtres"') : premiere.index("Réinitialiser")]
    assert "csrf" not in formulaire and "nonce" not in formulaire
    jetons = [
        html.split('name="csrfmiddlewaretoken" value="')[1][:64] for html in (premiere, seconde)
    ]
    assert jetons[0] != jetons[1]  # masked per response: the page around the fragments is not kept


def test_liste_en_cache_requetes(client, deux_sevres, django_assert_max_num_queries):
    for i in range(14):
        AideFactory(nom=f"Aide {i:02d}", professions=["medecin-generaliste"])
    parametres = {"profession": "medecin-generaliste", "departement": "79"}
    # nothing kept yet; +1 the content version read by the page cache, +1 the tables it covers
    # (read once per process)
    with django_assert_max_num_queries(11):
        premiere = _liste(client, **parametres)
    with django_assert_max_num_queries(1):
        seconde = _liste(client, **parametres)  # the whole page kept: the content version only
    assert (
        premiere.count('class="fr-card fr-enlarge-link"')
        == 12
        == seconde.count('class="fr-card fr-enlarge-link"')
    )
    assert "14 aides" in seconde and 'href="?profession=medecin-generaliste' in seconde
    page2 = _liste(client, page="2", **parametres)
    assert page2.count('class="fr-card fr-enlarge-link"') == 2


SIMULATION = {
    "profession": "medecin-generaliste",
    "situation": "interne",
    "commune": "79174",
    "exercice": "seul",
    "secteur": "secteur-1",
    "premiere": "oui",
    "aide_recente": "non",
}


def _simuler(client) -> str:
    response = client.get(reverse("aides:simulateur"), SIMULATION)
    assert response.status_code == 200
    return response.content.decode()


def test_simulation_suit_le_zonage_et_les_aides(client, deux_sevres):
    melle = CommuneFactory(code="79174", nom="Melle", departement=deux_sevres)
    aide = AideFactory(nom="Aide en ZIP", zonage_requis=["zip"], montant=5000)
    html = _simuler(client)
    assert "zonage inconnu pour cette commune" in html and "1 aide correspond" in html
    ZonageFactory(commune=melle, niveau="zac")  # a decree saying otherwise
    html = _simuler(client)
    assert "Presque : une condition manque" in html and "Aucune aide ne correspond" in html
    Aide.objects.filter(pk=aide.pk).update(zonage_requis=["zac"], montant=7000)
    html = _simuler(client)
    assert "1 aide correspond" in html and "7\u202f000\u00a0€" in html


def test_simulation_une_aide_close_disparait_le_lendemain(client, deux_sevres):
    CommuneFactory(code="79174", nom="Melle", departement=deux_sevres)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0), tick=False) as voyage:
        AideFactory(nom="Aide qui se termine", valide_au=datetime.date(2026, 12, 2))
        assert "Aide qui se termine" in _simuler(client)
        voyage.move_to(datetime.datetime(2026, 12, 3, 10, 0))
        html = _simuler(client)
        assert "Aide qui se termine" not in html and "Aucune aide ne correspond" in html


def test_simulation_formulaire_d_enregistrement_par_requete(
    client, deux_sevres, django_assert_max_num_queries
):
    CommuneFactory(code="79174", nom="Melle", departement=deux_sevres)
    for i in range(3):
        AideFactory(nom=f"Aide {i}")
    anonyme = _simuler(client)
    assert "Se connecter pour enregistrer" in anonyme and "csrfmiddlewaretoken" not in anonyme
    client.force_login(UserFactory())
    with django_assert_max_num_queries(10):
        connecte = _simuler(client)  # the result is kept; the user's part is not
    assert "3 aides correspondent" in connecte and "Enregistrer dans mon compte" in connecte
    assert "csrfmiddlewaretoken" in connecte and "Se connecter pour enregistrer" not in connecte


def _page(client, aide, statut=200) -> str:
    response = client.get(aide.get_absolute_url())
    assert response.status_code == statut
    return response.content.decode()


def test_page_d_une_aide_suit_documents_aides_liees_et_statut(
    client, django_assert_max_num_queries
):
    from tests.installation.factories import DocumentFactory

    aide = AideFactory(nom="Aide principale", description="Voir **aussi** [[voisine]].")
    voisine = AideFactory(nom="Aide voisine", slug="voisine")
    aide.liees.set([voisine])
    _page(client, aide)
    with django_assert_max_num_queries(3):  # counter, view counter (and session)
        html = _page(client, aide)
    assert "Aide voisine" in html and "<strong>aussi</strong>" in html
    voisine.nom = "Aide voisine renommée"
    voisine.save()
    assert _page(client, aide).count("Aide voisine renommée") == 2  # the link and the list
    document = DocumentFactory(titre="Formulaire de demande")
    document.aides.add(aide)
    assert "Formulaire de demande" in _page(client, aide)
    document.archiver()
    document.save()
    assert "Formulaire de demande" not in _page(client, aide)
    Aide.objects.filter(pk=aide.pk).update(statut_publication=StatutPublication.ARCHIVEE)
    _page(client, aide, statut=404)


def test_page_d_une_aide_close_le_lendemain(client):
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0), tick=False) as voyage:
        aide = AideFactory(nom="Aide qui se termine", valide_au=datetime.date(2026, 12, 2))
        html = _page(client, aide)
        assert "Ce dispositif se termine le 2 décembre 2026" in html and "fermé" not in html
        voyage.move_to(datetime.datetime(2026, 12, 3, 10, 0))
        html = _page(client, aide)
        assert "Ce dispositif est fermé depuis le 2 décembre 2026" in html
        assert "se termine le" not in html


def test_fragments_bornes_le_plus_ancien_part_le_premier(settings):
    settings.MEMOIRE_PROCESSUS = {**settings.MEMOIRE_PROCESSUS, "essai": 3}
    espace = Fragments.pour("aides").espace("essai")
    for cle in "abcd":
        espace.set(cle, cle.upper())
    assert [espace.get(c) for c in "abcd"] == [None, "B", "C", "D"]
    espace.set("b", "B2")  # replacing a kept fragment drops nothing
    assert [espace.get(c) for c in "bcd"] == ["B2", "C", "D"]


GARDES = [
    "aides/_liste.html",
    "aides/_carte_aide.html",
    "aides/_detail.html",
    "aides/_simulation_resultats.html",
    "components/_filtres.html",
    "installation/_parcours_etapes.html",
    "installation/_parcours_contacts.html",
    "installation/_parcours_documents.html",
    "installation/_etape.html",
    "installation/_document.html",
    "installation/_contact.html",
]


@pytest.mark.parametrize("gabarit", GARDES)
def test_un_fragment_garde_ne_lit_ni_la_requete_ni_l_utilisateur(gabarit):
    """A kept partial must not show anything of one request (user, messages, CSRF token, CSP
    nonce): it would be served to the next visitors."""
    import re

    from django.template.loader import get_template

    source = get_template(gabarit).template.source
    source = re.sub(r"{#.*?#}", "", source)  # comments may say so
    for interdit in ("request", "user", "csrf", "nonce", "messages", "perms"):
        assert interdit not in source, (gabarit, interdit)
