"""The simulator's result and the parcours lead to the matching opportunities (issue 30,
"Find"), through the core's "suites" registry: the list filtered on the profession and the
place (a commune by its INSEE code, 30 km around), with the count of published posts."""

import re
from html import unescape

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.cache import tout_oublier
from guichet.cache_pages import ENTETE_STATUT
from tests import factories as f
from tests.guichet.test_identite_commune import SIMULATION
from tests.installation.factories import ParcoursFactory, PlanFactory
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db

SIMULATEUR = reverse("aides:simulateur")
REPONSES = SIMULATION  # an installed nurse's answers, as the simulator's own tests
LIEN = re.compile(r'<a class="fr-link" href="(/opportunites/\?[^"]+)">([^<]+)</a> : ([^<]+)</li>')


@pytest.fixture
def lieux():
    na = f.RegionFactory(nouvelle_aquitaine=True)
    creuse = f.DepartementFactory(code="23", nom="Creuse", region=na)
    deux_sevres = f.DepartementFactory(code="79", nom="Deux-Sèvres", region=na)
    martinique = f.DepartementFactory(
        code="972", nom="Martinique", region=f.RegionFactory(martinique=True)
    )
    guyane = f.DepartementFactory(code="973", nom="Guyane", region=f.RegionFactory(code="03"))

    def commune(code, nom, dep, cp, lat=None, lon=None):
        return f.CommuneFactory(
            code=code, nom=nom, departement=dep, codes_postaux=[cp], latitude=lat, longitude=lon
        )

    return {
        "felletin": commune("23079", "Felletin", creuse, "23500", 45.89089, 2.18224),
        "aubusson": commune("23008", "Aubusson", creuse, "23200", 45.95075, 2.16679),
        "gueret": commune("23096", "Guéret", creuse, "23000", 46.17130, 1.87160),  # 39 km
        "niort": commune("79191", "Niort", deux_sevres, "79000", 46.32849, -0.46474),
        # 97213 is Le Lamentin's INSEE code and Gros-Morne's postal code; 11 km apart
        "lamentin": commune("97213", "Le Lamentin", martinique, "97232", 14.6133, -60.9961),
        "gros_morne": commune("97212", "Gros-Morne", martinique, "97213", 14.7106, -61.0097),
        "cayenne": commune("97302", "Cayenne", guyane, "97300"),  # no position: itself only
    }


@pytest.fixture
def annonces(lieux):
    def annonce(cle, professions=("infirmier",), **kwargs):
        return OpportuniteFactory(
            publiee=True, commune=lieux[cle], professions=list(professions), **kwargs
        )

    return [
        annonce("felletin"),
        annonce("aubusson", nature="remplacement"),
        annonce("felletin", professions=["medecin-generaliste"]),  # another profession
        annonce("gueret"),  # beyond 30 km of Felletin
        annonce("niort"),
        annonce("lamentin"),
        annonce("gros_morne"),
        annonce("cayenne"),
        OpportuniteFactory(commune=lieux["felletin"], professions=["infirmier"]),  # a draft
    ]


# Published infirmier posts 30 km around each commune, counted by hand.
ATTENDUES = {"felletin": 2, "aubusson": 2, "gueret": 1, "niort": 1, "lamentin": 2,
             "gros_morne": 2, "cayenne": 1}  # fmt: skip


def _suite(reponse) -> tuple[str, str, str]:
    html = reponse.content.decode()
    section = html[html.index('id="suites"') :]
    (lien,) = LIEN.findall(section[: section.index("</section>")])
    return tuple(unescape(x) for x in lien)


def _liste(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200
    return reponse.context


@pytest.mark.parametrize("cle", list(ATTENDUES))
def test_le_resultat_du_simulateur_mene_aux_opportunites_de_la_commune(
    client, lieux, annonces, cle
):
    """Commune INSEE code in, same commune out; the count said is the list's count."""
    commune = lieux[cle]
    url, titre, precision = _suite(client.get(SIMULATEUR, {**REPONSES, "commune": commune.code}))
    assert url == f"/opportunites/?profession=infirmier&commune={commune.code}&rayon=30"
    assert titre.startswith("Opportunités pour les infirmiers et infirmières à 30 km autour")
    n = ATTENDUES[cle]
    assert precision == f"{n} annonce{'s' if n > 1 else ''} publiée{'s' if n > 1 else ''}"
    contexte = _liste(client, url)
    assert contexte["centre"] == commune
    assert contexte["page_obj"].paginator.count == n


def test_aucune_annonce_le_dit(client, lieux):
    _, _, precision = _suite(client.get(SIMULATEUR, {**REPONSES, "commune": "23079"}))
    assert precision == "aucune annonce publiée pour l'instant"


def test_le_parcours_mene_aux_opportunites_du_departement_ou_de_la_commune(client, lieux, annonces):
    parcours = ParcoursFactory(slug="infirmier-liberal", profession="infirmier")
    page = reverse("installation:parcours", args=[parcours.slug])
    url, titre, precision = _suite(client.get(page))  # nothing known of the place: national
    assert url == "/opportunites/?profession=infirmier"
    assert precision == "7 annonces publiées"
    url, titre, precision = _suite(client.get(page, {"departement": "23"}))
    assert url == "/opportunites/?profession=infirmier&departement=23"
    assert titre.endswith("dans le département de la Creuse") and precision.startswith("3 ")
    assert _liste(client, url)["page_obj"].paginator.count == 3
    utilisatrice = f.UserFactory(commune_interet=lieux["lamentin"])
    client.force_login(utilisatrice)
    url, _, precision = _suite(client.get(page))  # the commune of her profile
    assert url == "/opportunites/?profession=infirmier&commune=97213&rayon=30"
    assert _liste(client, url)["centre"] == lieux["lamentin"]
    PlanFactory(utilisateur=utilisatrice, parcours=parcours, commune=lieux["aubusson"])
    url, _, precision = _suite(client.get(page))  # the commune of her plan first
    assert url == "/opportunites/?profession=infirmier&commune=23008&rayon=30"
    assert precision == "2 annonces publiées"


def test_un_projet_d_equipe_mene_aux_opportunites_de_toutes_professions(client, lieux, annonces):
    parcours = ParcoursFactory(slug="maison-de-sante", profession="autre")
    reponse = client.get(
        reverse("installation:parcours", args=[parcours.slug]), {"departement": "23"}
    )
    url, titre, precision = _suite(reponse)
    assert url == "/opportunites/?departement=23"
    assert titre == "Opportunités dans le département de la Creuse"
    assert precision == "4 annonces publiées"


def _compter(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url, params).status_code == 200
    return len(requetes)


def test_requetes_constantes_et_resultat_toujours_garde(
    client, lieux, django_assert_max_num_queries
):
    """The same queries for 2 or 20 matching posts; the simulator's result is still kept whole
    for an anonymous reader (the posts' table is under a content version)."""
    parcours = ParcoursFactory(slug="infirmier-liberal", profession="infirmier")
    page = reverse("installation:parcours", args=[parcours.slug])
    parametres = {**REPONSES, "commune": "23079"}
    _compter(client, SIMULATEUR, parametres), _compter(client, page, {"departement": "23"})

    def mesurer(n):
        for i in range(n):
            OpportuniteFactory(publiee=True, commune=lieux["aubusson" if i % 2 else "felletin"],
                               professions=["infirmier", "sage-femme"])  # fmt: skip
        tout_oublier()
        caches["pages"].clear()
        return (_compter(client, SIMULATEUR, parametres),
                _compter(client, page, {"departement": "23"}))  # fmt: skip

    assert mesurer(2) == mesurer(20)
    tout_oublier()
    caches["pages"].clear()
    with django_assert_max_num_queries(8):  # cold: nothing kept
        client.get(SIMULATEUR, parametres)
    with django_assert_max_num_queries(8):
        client.get(page, {"departement": "23"})
    premiere, seconde = Client().get(SIMULATEUR, parametres), Client().get(SIMULATEUR, parametres)
    assert seconde[ENTETE_STATUT] == "hit"
    assert _suite(premiere)[2] == _suite(seconde)[2] == "22 annonces publiées"
    OpportuniteFactory(publiee=True, commune=lieux["felletin"], professions=["infirmier"])
    assert _suite(Client().get(SIMULATEUR, parametres))[2] == "23 annonces publiées"  # at once
