"""Matching rules (reach, zoning, profession, situation, validity) and the French search."""

import datetime

import pytest
from django.urls import reverse

from aides.models import Aide
from tests.aides.factories import AideFactory, OrganisationFactory, ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territoire():
    na = RegionFactory(nouvelle_aquitaine=True)
    deux_sevres = DepartementFactory(code="79", nom="Deux-Sèvres", region=na)
    creuse = DepartementFactory(code="23", nom="Creuse", region=na)
    occ = RegionFactory(occitanie=True)
    gers = DepartementFactory(code="32", nom="Gers", region=occ)
    return {
        "na": na,
        "deux_sevres": deux_sevres,
        "gers": gers,
        "melle": CommuneFactory(code="79174", nom="Melle", departement=deux_sevres),
        "gueret": CommuneFactory(code="23096", nom="Guéret", departement=creuse),
        "auch": CommuneFactory(code="32013", nom="Auch", departement=gers),
    }


def slugs(qs):
    return sorted(qs.values_list("slug", flat=True))


def test_portee_nationale_regionale_departementale_communale(territoire):
    AideFactory(slug="nationale")
    AideFactory(slug="regionale", portee="region").regions.set([territoire["na"]])
    AideFactory(slug="departementale", portee="departement").departements.set(
        [territoire["deux_sevres"]]
    )
    AideFactory(slug="communale", portee="commune").communes.set([territoire["melle"]])
    assert slugs(Aide.objects.pour_commune(territoire["melle"])) == [
        "communale",
        "departementale",
        "nationale",
        "regionale",
    ]
    assert slugs(Aide.objects.pour_commune(territoire["gueret"])) == ["nationale", "regionale"]
    assert slugs(Aide.objects.pour_commune(territoire["auch"])) == ["nationale"]


def test_zonage_par_profession(territoire):
    AideFactory(slug="zip-medecins", professions=["medecin-generaliste"], zonage_requis=["zip"])
    AideFactory(slug="tsd-infirmiers", professions=["infirmier"], zonage_requis=["tres-sous-dotee"])
    AideFactory(slug="sans-zonage")
    ZonageFactory(commune=territoire["melle"], profession="medecin-generaliste", niveau="zip")
    ZonageFactory(commune=territoire["melle"], profession="infirmier", niveau="intermediaire")

    melle = territoire["melle"]
    assert slugs(Aide.objects.pour_commune(melle, "medecin-generaliste")) == [
        "sans-zonage",
        "zip-medecins",
    ]
    # Melle is a ZIP for GPs but not "très sous-dotée" for nurses.
    assert slugs(Aide.objects.pour_commune(melle, "infirmier")) == ["sans-zonage"]
    # No decree loaded for Auch: an unknown zoning never excludes an aid (it is to be checked).
    assert slugs(Aide.objects.pour_commune(territoire["auch"], "medecin-generaliste")) == [
        "sans-zonage",
        "zip-medecins",
    ]
    # Without a profession, a level held for a targeted profession counts.
    assert slugs(Aide.objects.pour_commune(melle)) == ["sans-zonage", "zip-medecins"]


def test_profession_situation_et_validite(territoire):
    AideFactory(slug="toutes")
    AideFactory(slug="etudiants", situations=["etudiant", "interne"])
    AideFactory(slug="infirmiers", professions=["infirmier"])
    AideFactory(slug="ptmg", close=True)
    AideFactory(slug="future", valide_du=datetime.date.today() + datetime.timedelta(days=30))
    assert slugs(Aide.objects.pour_profession("infirmier").pour_situation("installe")) == [
        "future",
        "infirmiers",
        "ptmg",
        "toutes",
    ]
    assert "ptmg" not in slugs(Aide.objects.ouvertes())
    assert slugs(Aide.objects.closes()) == ["ptmg"]
    assert "etudiants" in slugs(Aide.objects.pour_situation("interne"))


@pytest.mark.parametrize(
    ("requete", "attendu"),
    [
        ("maison de santé", "msp"),
        ("MAISON DE SANTE", "msp"),
        ("maisons", "msp"),
        ("cesp", "cesp"),
        ("infirmière", "infirmiers"),
        ("médecins correspondants", "mcs"),
        ("kiné", "kine"),
    ],
)
def test_recherche_francaise_insensible_aux_accents(requete, attendu):
    AideFactory(slug="msp", nom="Aide au démarrage d'une maison de santé pluriprofessionnelle")
    AideFactory(slug="cesp", nom="Contrat d'engagement de service public", sigle="CESP")
    AideFactory(slug="infirmiers", nom="Contrat d'aide à l'installation des infirmiers")
    AideFactory(slug="mcs", nom="Médecin correspondant du SAMU", sigle="MCS")
    AideFactory(slug="kine", nom="Contrat des masseurs-kinésithérapeutes")
    assert Aide.objects.recherche(requete).first().slug == attendu


def test_le_nom_pese_plus_que_la_description():
    AideFactory(slug="description", nom="Aide A", description="logement des internes " * 5)
    AideFactory(slug="nom", nom="Logement des internes", description="Une aide.")
    assert slugs(Aide.objects.recherche("logement")) == ["description", "nom"]
    assert Aide.objects.recherche("logement").first().slug == "nom"


def test_recherche_a_jour_apres_modification():
    aide = AideFactory(nom="Bourse régionale")
    assert not Aide.objects.recherche("tutorat").exists()
    aide.nom = "Tutorat des étudiants"
    aide.save()
    assert Aide.objects.recherche("tutorat").get() == aide


def test_liste_filtre_et_pagination_garde_les_filtres(client, territoire):
    for n in range(14):
        AideFactory(slug=f"inf-{n}", professions=["infirmier"])
    AideFactory(slug="medecins", professions=["medecin-generaliste"])
    AideFactory(slug="ancienne", professions=["infirmier"], close=True)
    response = client.get(reverse("aides:liste"), {"profession": "infirmier"})
    html = response.content.decode()
    assert "14 aides" in html
    assert "?profession=infirmier&amp;page=2" in html.split('aria-label="Pagination"')[1]
    tous = client.get(reverse("aides:liste"), {"profession": "infirmier", "ouvertes": "0"})
    assert "15 aides" in tous.content.decode()


def test_liste_par_commune_et_financeur(client, territoire):
    cpam = OrganisationFactory(code="assurance-maladie", nom="Assurance Maladie")
    ars = OrganisationFactory(code="ars", nom="ARS", type="ars")
    AideFactory(slug="cpam-zip", nom="Aide ZIP", zonage_requis=["zip"], financeurs=[cpam])
    AideFactory(slug="ars", nom="Aide ARS", financeurs=[ars])
    ZonageFactory(commune=territoire["melle"], niveau="zip")
    html = client.get(
        reverse("aides:liste"),
        {"profession": "medecin-generaliste", "commune": "79174", "financeur": "assurance-maladie"},
    ).content.decode()
    assert "Aide ZIP" in html and "Aide ARS" not in html
    assert "1 aide pour Melle" in html


def test_liste_etat_vide_dit_quoi_changer(client):
    html = client.get(reverse("aides:liste"), {"q": "introuvable"}).content.decode()
    assert "Aucune aide ne correspond" in html
    assert "Essayez d'enlever un filtre" in html


def test_commune_ambigue_sans_javascript(client, territoire):
    CommuneFactory(code="93066", nom="Saint-Denis")
    CommuneFactory(code="97411", nom="Saint-Denis")
    html = client.get(reverse("aides:liste"), {"commune": "Saint-Denis"}).content.decode()
    assert "Plusieurs communes correspondent" in html


def test_nombre_de_requetes_constant(client, django_assert_max_num_queries):
    cpam = OrganisationFactory()
    for n in range(30):
        AideFactory(slug=f"a-{n}", financeurs=[cpam], instructeurs=[cpam])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("aides:liste"))
    assert response.status_code == 200
    assert response.content.decode().count('class="fr-card fr-enlarge-link"') == 12
