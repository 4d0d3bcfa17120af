"""The list's territory filters without duplicates nor DISTINCT, constant SQL counts, and the
simulator's SQL pre-filter giving the same result as evaluating the whole catalogue."""

import datetime
import itertools
import random

import pytest
from django.urls import reverse

from aides import eligibilite
from aides.models import Aide
from tests.aides.factories import AideFactory, OrganisationFactory, ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territoire():
    na = RegionFactory(nouvelle_aquitaine=True)
    deux_sevres = DepartementFactory(code="79", nom="Deux-Sèvres", region=na)
    gers = DepartementFactory(code="32", nom="Gers", region=RegionFactory(occitanie=True))
    return {
        "na": na,
        "deux_sevres": deux_sevres,
        "gers": gers,
        "melle": CommuneFactory(code="79174", nom="Melle", departement=deux_sevres),
        "niort": CommuneFactory(code="79191", nom="Niort", departement=deux_sevres),
        "auch": CommuneFactory(code="32013", nom="Auch", departement=gers),
    }


def _catalogue(territoire, n, organisation):
    """n aids of every reach; the communal ones hold two communes of the same département."""
    for i in range(n):
        portee = ["national", "region", "departement", "commune"][i % 4]
        aide = AideFactory(
            slug=f"aide-{i}",
            nom=f"Aide {i:03d} installation",
            portee=portee,
            professions=["medecin-generaliste"] if i % 3 else [],
            financeurs=[organisation],
        )
        if portee == "region":
            aide.regions.set([territoire["na"]])
        elif portee == "departement":
            aide.departements.set([territoire["deux_sevres"], territoire["gers"]])
        elif portee == "commune":
            aide.communes.set([territoire["melle"], territoire["niort"]])


def test_territoires_sans_doublon_ni_distinct(territoire):
    _catalogue(territoire, 8, OrganisationFactory())
    qs = Aide.objects.dans_departement(territoire["deux_sevres"])
    assert "DISTINCT" not in str(qs.query)
    slugs = list(qs.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 8 == qs.count()
    gers = Aide.objects.dans_departement(territoire["gers"])
    assert sorted(gers.values_list("slug", flat=True)) == ["aide-0", "aide-2", "aide-4", "aide-6"]
    melle = Aide.objects.portee_contient(territoire["melle"])
    assert melle.count() == 8 and Aide.objects.portee_contient(territoire["auch"]).count() == 4


@pytest.mark.parametrize(
    "parametres",
    [
        {"profession": "medecin-generaliste", "departement": "79"},
        {"q": "installation aide"},
        {"commune": "79174", "profession": "medecin-generaliste", "financeur": "cpam"},
    ],
)
def test_liste_filtree_requetes_constantes(
    client, territoire, parametres, django_assert_max_num_queries
):
    cpam = OrganisationFactory(code="cpam")
    _catalogue(territoire, 30, cpam)
    client.get(reverse("aides:liste"), parametres)  # option lists kept in the process, as served
    with django_assert_max_num_queries(8):
        response = client.get(reverse("aides:liste"), parametres)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="fr-card fr-enlarge-link"') == 12
    if "q" not in parametres:
        assert "30 aides" in html


def test_simulateur_requetes_constantes(client, territoire, django_assert_max_num_queries):
    _catalogue(territoire, 30, OrganisationFactory())
    reponses = {
        "profession": "medecin-generaliste",
        "situation": "interne",
        "commune": "79174",
        "exercice": "seul",
        "secteur": "",
        "premiere": "oui",
        "aide_recente": "non",
    }
    with django_assert_max_num_queries(12):
        response = client.get(reverse("aides:simulateur"), reponses)
    assert "30 aides correspondent" in response.content.decode()


def _ancienne_simulation(projet):
    """The former algorithm: the whole catalogue evaluated in Python."""
    dans_territoire = set(
        Aide.objects.publiees().portee_contient(projet.commune).values_list("pk", flat=True)
    )
    eligibles, presque = [], []
    for aide in Aide.objects.publiees().ouvertes().order_by("nom", "pk"):
        r = eligibilite.evaluer(aide, projet, dans_le_territoire=aide.pk in dans_territoire)
        if r is None:
            continue
        if r.eligible:
            eligibles.append((aide.slug, r.raisons, r.a_verifier))
        elif len(r.ecarts) == 1:
            presque.append((aide.slug, r.ecarts))
    return eligibles, presque


def test_prefiltrage_sql_meme_resultat_que_le_catalogue_entier(territoire):
    rng = random.Random(13)
    communes = [territoire["melle"], territoire["niort"], territoire["auch"]]
    ZonageFactory(commune=territoire["melle"], profession="medecin-generaliste", niveau="zip")
    ZonageFactory(commune=territoire["niort"], profession="medecin-generaliste", niveau="zac")
    aujourd_hui = datetime.date.today()
    for i in range(120):
        portee = rng.choice(["national", "region", "departement", "commune"])
        aide = AideFactory(
            slug=f"s-{i}",
            portee=portee,
            statut_publication=rng.choice(["publiee"] * 4 + ["brouillon"]),
            professions=rng.choice(
                [[], ["medecin-generaliste"], ["infirmier"], ["infirmier", "medecin-generaliste"]]
            ),
            situations=rng.choice([[], ["interne"], ["installe", "remplacant"]]),
            zonage_requis=rng.choice([[], ["zip"], ["zac", "zip"], ["tres-sous-dotee"]]),
            premiere_installation=rng.random() < 0.3,
            modes_exercice=rng.choice([[], ["msp"], ["seul", "groupe"]]),
            secteurs=rng.choice([[], ["secteur-1"], ["optam", "optam-aco"]]),
            delai_non_renouvellement_ans=rng.choice([None, 0, 10]),
            valide_au=rng.choice([None, None, aujourd_hui, aujourd_hui - datetime.timedelta(1)]),
        )
        if portee == "region":
            aide.regions.set([territoire["na"]])
        elif portee == "departement":
            aide.departements.set([rng.choice([territoire["deux_sevres"], territoire["gers"]])])
        elif portee == "commune":
            aide.communes.set(rng.sample(communes, rng.randint(1, 2)))
    compares = 0
    for commune, situation, exercice, secteur, premiere, recente in itertools.product(
        communes,
        ["interne", "installe"],
        ["seul", "msp"],
        ["", "optam"],
        [True, False],
        [False, True],
    ):
        projet = eligibilite.projet_pour(
            profession="medecin-generaliste",
            situation=situation,
            commune=commune,
            exercice=exercice,
            secteur=secteur,
            premiere_installation=premiere,
            aide_recente=recente,
        )
        eligibles, presque = _ancienne_simulation(projet)
        simulation = eligibilite.simuler(projet)
        assert [(r.aide.slug, r.raisons, r.a_verifier) for r in simulation.eligibles] == eligibles
        assert [(r.aide.slug, r.ecarts) for r in simulation.presque] == presque[
            : eligibilite.PRESQUE_MAX
        ]
        assert simulation.presque_autres == max(0, len(presque) - eligibilite.PRESQUE_MAX)
        compares += len(eligibles) + len(presque)
    assert compares > 500  # the catalogue is varied enough to exercise every rule


def test_presque_au_dela_du_plafond_comptees(client, territoire):
    for i in range(eligibilite.PRESQUE_MAX + 3):
        AideFactory(slug=f"p-{i}", premiere_installation=True)
    reponses = {
        "profession": "infirmier",
        "situation": "installe",
        "commune": "79174",
        "exercice": "seul",
        "secteur": "",
        "premiere": "non",
        "aide_recente": "non",
    }
    html = client.get(reverse("aides:simulateur"), reponses).content.decode()
    assert html.count("réservée à une première installation") == eligibilite.PRESQUE_MAX
    assert "Et 3 autres aides à une condition près" in html
