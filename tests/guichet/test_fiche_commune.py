"""The commune page, reached from the site search: zoning, aids, contacts, demography."""

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from guichet.grammaire import de_departement
from tests.aides.factories import AideFactory, ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory
from tests.installation.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def niort():
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    return CommuneFactory(code="79191", nom="Niort", departement=dep, codes_postaux=["79000"])


def test_un_maire_tape_le_nom_de_sa_commune_et_arrive_sur_sa_page(client, niort):
    response = client.get(reverse("guichet:recherche"), {"q": "niort"})
    assert response.status_code == 302 and response.url == reverse(
        "guichet:commune", args=["79191"]
    )
    # (79000 alone is shared by Niort and Bessines in the real territories: it lists them)
    assert client.get(reverse("guichet:recherche"), {"q": "Niort 79000"}).url == response.url
    libelle = "Niort — Deux-Sèvres (79), 79000"
    assert client.get(reverse("guichet:recherche"), {"q": libelle}).url == response.url


def test_la_recherche_trouve_communes_aides_et_pages(client, niort, pages_editoriales):
    CommuneFactory(code="79031", nom="Beauvoir-sur-Niort", departement=niort.departement)
    AideFactory(nom="Bourse pour les internes à Niort", resume="Une bourse à Niort.")
    html = client.get(reverse("guichet:recherche"), {"q": "Niort", "tout": "1"}).content.decode()
    assert "Communes" in html and "Beauvoir-sur-Niort — Deux-Sèvres (79)" in html
    assert "Bourse pour les internes à Niort" in html
    assert html.index("Beauvoir-sur-Niort") < html.index("Bourse pour les internes")


def test_page_commune_zonage_aides_contacts(client, niort, django_assert_max_num_queries):
    ZonageFactory(commune=niort, profession="medecin-generaliste", niveau="zac", fictif=True)
    zac = AideFactory(nom="Aide en ZAC", professions=["medecin-generaliste"], zonage_requis=["zac"])
    zip_ = AideFactory(
        nom="Aide en ZIP", professions=["medecin-generaliste"], zonage_requis=["zip"]
    )
    AideFactory(
        nom="Aide infirmière en zone très sous-dotée",
        professions=["infirmier"],
        zonage_requis=["tres-sous-dotee"],
    )
    ContactFactory(departement=niort.departement, intitule="CPAM des Deux-Sèvres")
    ContactFactory(departement=niort.departement, intitule="URSSAF")
    with django_assert_max_num_queries(40):
        html = client.get(reverse("guichet:commune", args=["79191"])).content.decode()
    assert "<h1>Niort</h1>" in html
    assert "du département des Deux-Sèvres (79)" in html
    assert "Zone d&#x27;action complémentaire (ZAC)" in html and "Zonage fictif</span>" in html
    assert "Zonage inconnu pour cette commune et cette profession" in html
    assert zac.nom in html and zip_.nom not in html
    # Unknown zoning for nurses never excludes their aid: it is shown, to be checked.
    assert "Aide infirmière en zone très sous-dotée" in html and "zonage à vérifier" in html
    assert "CPAM des Deux-Sèvres" in html
    assert "Démographie des professionnels de santé" in html


def test_msp_proches_inconnues_jamais_aucune_et_ou_les_trouver(client, niort):
    from demographie.models import IndicateurDispositif

    url = reverse("guichet:commune", args=["79191"])
    html = client.get(url).content.decode()
    section = html[html.index('id="msp-proches"') :]
    assert "<strong>Inconnu.</strong>" in section
    assert "Aucune maison" not in html and "aucune MSP" not in html.lower()
    assert "https://finess.esante.gouv.fr" in section and 'href="#contacts"' in section
    assert "étaient ouvertes dans la région" not in html  # no figure held: none shown
    IndicateurDispositif.objects.create(
        annee=2016,
        region=niort.departement.region,
        indicateur="msp_ouvertes",
        valeur=105,
        source="Pacte territoire santé, bilan fin 2016",
    )
    html = client.get(url).content.decode()
    assert (
        "105 MSP étaient ouvertes dans la région Nouvelle-Aquitaine fin 2016 "
        "(Pacte territoire santé, bilan fin 2016)"
    ) in html


def test_commune_inconnue_404(client):
    assert client.get(reverse("guichet:commune", args=["00000"])).status_code == 404


@pytest.mark.parametrize(
    ("code", "nom", "attendu"),
    [
        ("79", "Deux-Sèvres", "des Deux-Sèvres"),
        ("23", "Creuse", "de la Creuse"),
        ("01", "Ain", "de l'Ain"),
        ("59", "Nord", "du Nord"),
        ("75", "Paris", "de Paris"),
        ("972", "Martinique", "de la Martinique"),
    ],
)
def test_departement_avec_son_article(code, nom, attendu):
    assert de_departement(code, nom) == attendu


def test_le_site_porte_le_nom_du_portail(settings):
    site = Site.objects.get_current()
    assert site.domain == "guichet.example.gouv.fr" and "example.com" not in site.name
    assert site.name == settings.PORTAIL_NOM[:50]


def test_inscription_explique_le_compte_et_lie_les_donnees_personnelles(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "À quoi sert un compte ?" in html
    assert reverse("guichet:donnees_personnelles") in html


def test_plan_du_site_liste_chaque_rubrique(client, pages_editoriales):
    html = client.get(reverse("guichet:plan_du_site")).content.decode()
    for nom in [
        "aides:simulateur",
        "installation:contacts",
        "installation:documents",
        "agenda:accueil",
        "demographie:bulletins",
        "installation:mon_plan",
    ]:
        assert f'href="{reverse(nom)}"' in html, nom


def test_page_commune_limite_les_aides_et_renvoie_a_la_liste_filtree(
    client, niort, django_assert_max_num_queries
):
    """A national catalogue gives a commune hundreds of aids per profession: the page lists the
    first ones by name and links to the aid list filtered on the same commune and profession,
    which finds the same number."""
    from aides.commune import AIDES_PAR_PROFESSION

    nombre = AIDES_PAR_PROFESSION + 3
    for i in range(nombre):
        AideFactory(nom=f"Aide sage-femme n° {i:02d}", professions=["sage-femme"])
    client.get(reverse("guichet:commune", args=["79191"]))  # builds the demography summary
    with django_assert_max_num_queries(12):
        html = client.get(reverse("guichet:commune", args=["79191"])).content.decode()
    assert f"({nombre} aides)" in html
    assert "Aide sage-femme n° 00" in html and f"Aide sage-femme n° {nombre - 1}" not in html
    lien = "/aides/?profession=sage-femme&amp;commune=79191"
    assert f'href="{lien}"' in html
    assert f"Voir les {nombre} aides ouvertes pour la profession sage-femme à Niort" in html
    liste = client.get(lien.replace("&amp;", "&")).content.decode()
    assert f"{nombre} aides" in liste or f"{nombre} résultats" in liste


def test_sections_gardees_suivent_chaque_ecriture(client, niort, django_assert_max_num_queries):
    """Zoning, aids, projects and demography are kept per content version (guichet.cache);
    contacts, referents and events per département for a minute, forgotten on any save."""
    from aides.models import Zonage
    from demographie.models import IndicateurDispositif
    from tests.rendezvous.factories import ReferentFactory

    url = reverse("guichet:commune", args=["79191"])
    client.get(url)
    # commune and the counters: no section rebuilt; plus the opportunities near the commune,
    # read at each rendering (one indexed query: a post just published shows at once); the
    # global content version read by the whole-page cache, which keeps this rendering (the
    # referents' names on their accounts are under the "agenda" version, guichet 0013)
    with django_assert_max_num_queries(7):
        html = client.get(url).content.decode()
    assert "Aucune aide du catalogue" in html
    assert html == client.get(url).content.decode()
    AideFactory(nom="Prime de la commune", professions=["sage-femme"])
    assert "Prime de la commune" in client.get(url).content.decode()
    ZonageFactory(commune=niort, profession="sage-femme", niveau="zip")
    assert "Zone d&#x27;intervention prioritaire (ZIP)" in client.get(url).content.decode()
    Zonage.objects.filter(commune=niort).delete()
    assert "Zone d&#x27;intervention prioritaire (ZIP)" not in client.get(url).content.decode()
    IndicateurDispositif.objects.create(
        annee=2016,
        region=niort.departement.region,
        indicateur="msp_ouvertes",
        valeur=12,
        source="Pacte territoire santé, bilan fin 2016",
    )
    assert "12 MSP étaient ouvertes" in client.get(url).content.decode()
    # forgotten on save: a referent named for the département shows at once
    ReferentFactory(
        departements=[niort.departement],
        utilisateur__first_name="Camille",
        utilisateur__last_name="Martin",
    )
    assert "Camille Martin" in client.get(url).content.decode()
    ContactFactory(departement=niort.departement, intitule="Délégation départementale")
    assert "Délégation départementale" in client.get(url).content.decode()
