"""Public pages: choosing a parcours, a step with its local contact, contacts, agenda, ICS."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.aides.factories import AideFactory, OrganisationFactory
from tests.factories import DepartementFactory, RegionFactory, UserFactory
from tests.installation.factories import (
    ActualiteFactory,
    ContactFactory,
    DocumentFactory,
    EtapeFactory,
    EvenementFactory,
    ParcoursFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def territoires():
    na = RegionFactory(nouvelle_aquitaine=True)
    occ = RegionFactory(occitanie=True)
    return {
        "na": na,
        "occ": occ,
        "79": DepartementFactory(code="79", nom="Deux-Sèvres", region=na),
        "32": DepartementFactory(code="32", nom="Gers", region=occ),
    }


def test_accueil_choisir_une_profession(client, territoires, django_assert_max_num_queries):
    ParcoursFactory(titre="Infirmier libéral")
    ParcoursFactory(titre="Sage-femme libérale")
    ParcoursFactory(titre="Parcours du Gers", departement=territoires["32"])
    ParcoursFactory(titre="Brouillon", statut_publication="brouillon")
    ActualiteFactory(titre="Nouvelles du Gers", departement=territoires["32"])
    with django_assert_max_num_queries(6):
        html = client.get(reverse("installation:accueil")).content.decode()
    assert "Infirmier libéral" in html and "Sage-femme libérale" in html
    assert "Parcours du Gers" not in html and "Brouillon" not in html
    html = client.get(reverse("installation:accueil"), {"departement": "32"}).content.decode()
    assert "Parcours du Gers" in html and "Nouvelles du Gers" in html


def test_parcours_etapes_par_phase_et_contact_du_departement(
    client, territoires, django_assert_max_num_queries
):
    ordre = OrganisationFactory(code="ordre-infirmiers", nom="Ordre des infirmiers")
    parcours = ParcoursFactory(slug="infirmier-liberal", titre="Infirmier libéral")
    for i in range(4):
        etape = EtapeFactory(
            parcours=parcours, organisation=ordre, phase="ordre", titre=f"Étape nationale {i}"
        )
        DocumentFactory(titre=f"Formulaire {i}", etapes=[etape])
    EtapeFactory(parcours=parcours, titre="Étape des Deux-Sèvres", departement=territoires["79"])
    ContactFactory(
        organisation=ordre, departement=territoires["79"], intitule="CDOI des Deux-Sèvres"
    )
    ContactFactory(organisation=ordre, departement=territoires["32"], intitule="CDOI du Gers")
    url = reverse("installation:parcours", args=["infirmier-liberal"])
    with django_assert_max_num_queries(11):  # 10, and the count of matching opportunities
        html = client.get(url, {"departement": "79"}).content.decode()
    assert "S&#x27;inscrire à l&#x27;Ordre" in html
    assert "Étape nationale 3" in html and "Étape des Deux-Sèvres" in html
    assert "CDOI des Deux-Sèvres" in html and "CDOI du Gers" not in html
    assert "Télécharger tout le dossier" in html
    assert "Créer un compte pour suivre mon plan" in html
    html = client.get(url, {"departement": "32"}).content.decode()
    assert "Étape des Deux-Sèvres" not in html and "CDOI du Gers" in html
    # Without a choice, the user's département of interest is used.
    client.force_login(UserFactory(departement_interet=territoires["32"]))
    html = client.get(url).content.decode()
    assert "CDOI du Gers" in html and "Commencer mon plan" in html


def test_page_d_une_etape(client, territoires):
    ordre = OrganisationFactory(
        code="ordre-infirmiers", nom="Ordre des infirmiers", site="https://www.ordre-infirmiers.fr"
    )
    parcours = ParcoursFactory(slug="infirmier-liberal")
    avant = EtapeFactory(parcours=parcours, ordre=1, titre="Avant")
    etape = EtapeFactory(
        parcours=parcours,
        ordre=2,
        organisation=ordre,
        slug="ordre",
        titre="S'inscrire à l'Ordre",
        pieces="- Diplôme d'État",
        service_en_ligne="https://www.ordre-infirmiers.fr/",
    )
    etape.aides.add(AideFactory(nom="Contrat d'installation", slug="contrat"))
    DocumentFactory(titre="Formulaire d'inscription", etapes=[etape])
    locale = EtapeFactory(parcours=parcours, ordre=3, slug="gers", departement=territoires["32"])
    ContactFactory(
        organisation=ordre, departement=territoires["79"], intitule="CDOI 79", fictif=True
    )
    html = client.get(etape.get_absolute_url(), {"departement": "79"}).content.decode()
    assert "étape 2 sur 2" in html and "Diplôme d'État" in html
    assert "Formulaire d&#x27;inscription" in html and "Contrat d&#x27;installation" in html
    assert "CDOI 79" in html and "Coordonnées de démonstration" in html
    assert avant.get_absolute_url() in html
    assert client.get(locale.get_absolute_url()).status_code == 404
    assert client.get(locale.get_absolute_url(), {"departement": "32"}).status_code == 200


def test_annuaire_par_departement(client, territoires, django_assert_max_num_queries):
    for i in range(3):
        ContactFactory(
            departement=territoires["79"],
            intitule=f"Partenaire {i}",
            organisation=OrganisationFactory(),
        )
    ContactFactory(departement=territoires["32"], intitule="Partenaire du Gers")
    with django_assert_max_num_queries(6):
        html = client.get(reverse("installation:contacts"), {"departement": "79"}).content.decode()
    assert "Partenaire 2" in html and "Partenaire du Gers" not in html
    html = client.get(reverse("installation:contacts")).content.decode()
    assert "Partenaire" not in html


def test_agenda_evenements_a_venir_par_region_et_ics(
    client, territoires, django_assert_max_num_queries
):
    forum = EvenementFactory(
        titre="Forum de Niort",
        departement=territoires["79"],
        lien_inscription="https://exemple.fr/inscription",
    )
    EvenementFactory(titre="Salon régional", region=territoires["na"])
    EvenementFactory(titre="Webinaire national")
    EvenementFactory(titre="Rencontre du Gers", departement=territoires["32"])
    EvenementFactory(titre="Forum passé", debut=timezone.now() - datetime.timedelta(days=3))
    EvenementFactory(titre="Non publié", publie=False)
    with django_assert_max_num_queries(6):
        html = client.get(reverse("agenda:accueil")).content.decode()
    assert "Forum de Niort" in html and "Rencontre du Gers" in html
    assert "Forum passé" not in html and "Non publié" not in html
    html = client.get(reverse("agenda:accueil"), {"region": "75"}).content.decode()
    assert "Forum de Niort" in html and "Salon régional" in html and "Webinaire national" in html
    assert "Rencontre du Gers" not in html

    reponse = client.get(reverse("agenda:evenement_ics", args=[forum.pk]))
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(reponse.content)
    (evenement,) = cal.walk("VEVENT")
    assert str(evenement["SUMMARY"]) == "Forum de Niort"
    assert evenement.decoded("DTSTART") == forum.debut.replace(microsecond=0)
    assert "https://exemple.fr/inscription" in str(evenement["DESCRIPTION"])

    flux = Calendar.from_ical(client.get(reverse("agenda:region_ics", args=["75"])).content)
    titres = {str(e["SUMMARY"]) for e in flux.walk("VEVENT")}
    assert titres == {"Forum de Niort", "Salon régional", "Webinaire national", "Forum passé"}
    assert client.get(reverse("agenda:region_ics", args=["99"])).status_code == 404
    assert client.get(reverse("agenda:evenement", args=[forum.pk])).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "present", "absent"),
    [
        ("guichet:etudiants_internes", "Bourse pour internes", "Aide à la SISA"),
        ("guichet:porteurs_de_projet", "Aide à la SISA", "Bourse pour internes"),
    ],
)
def test_espaces_des_publics_rassemblent_parcours_aides_documents_evenements(
    client, pages_editoriales, url_name, present, absent, django_assert_max_num_queries
):
    ParcoursFactory(titre="Créer une maison de santé", publics=["porteurs-de-projet"])
    ParcoursFactory(titre="Infirmier libéral", publics=["etudiants-internes"])
    AideFactory(nom="Bourse pour internes", situations=["interne"], type="bourse-etudes")
    AideFactory(nom="Aide à la SISA", type="exercice-coordonne")
    DocumentFactory(titre="Guide de la SISA", publics=["porteurs-de-projet"])
    DocumentFactory(titre="Guide de l'internat", publics=["etudiants-internes"])
    EvenementFactory(titre="Accueil des internes", publics=["etudiants-internes"])
    EvenementFactory(titre="Réunion maison de santé", publics=["porteurs-de-projet"])
    with django_assert_max_num_queries(10):
        html = client.get(reverse(url_name)).content.decode()
    assert present in html and absent not in html
    if url_name == "guichet:porteurs_de_projet":
        assert "Créer une maison de santé" in html and "Guide de la SISA" in html
        assert "Réunion maison de santé" in html and "Accueil des internes" not in html
    else:
        assert "Infirmier libéral" in html and "Guide de l&#x27;internat" in html
        assert "Accueil des internes" in html and "Guide de la SISA" not in html
