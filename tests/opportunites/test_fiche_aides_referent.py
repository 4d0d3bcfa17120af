"""A post's page for its reader (issue 30, "Find"): the aids they could get there, computed by
the simulator itself, with what was assumed and a link to refine in the simulator."""

from html import unescape

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from aides import eligibilite
from guichet import projet
from guichet.cache import tout_oublier
from opportunites import fiche
from opportunites.models import Nature
from tests import factories as f
from tests.aides.factories import AideFactory, ZonageFactory
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lieux():
    na = f.RegionFactory(nouvelle_aquitaine=True)
    creuse = f.DepartementFactory(code="23", nom="Creuse", region=na)
    martinique = f.DepartementFactory(
        code="972", nom="Martinique", region=f.RegionFactory(martinique=True)
    )
    guyane = f.DepartementFactory(code="973", nom="Guyane", region=f.RegionFactory(code="03"))

    def commune(code, nom, dep, cp):
        return f.CommuneFactory(code=code, nom=nom, departement=dep, codes_postaux=[cp])

    return {
        "felletin": commune("23079", "Felletin", creuse, "23500"),
        # 97213 is Le Lamentin's INSEE code and Gros-Morne's postal code
        "lamentin": commune("97213", "Le Lamentin", martinique, "97232"),
        "gros_morne": commune("97212", "Gros-Morne", martinique, "97213"),
        "cayenne": commune("97302", "Cayenne", guyane, "97300"),
    }


@pytest.fixture
def aides(lieux):
    ZonageFactory(commune=lieux["felletin"], profession="medecin-generaliste", niveau="zip")
    return {
        "zip_mg": AideFactory(
            nom="Contrat d'aide à l'installation ZIP",
            professions=["medecin-generaliste"],
            situations=["installe"],
            zonage_requis=["zip"],
        ),
        "zac_mg": AideFactory(
            nom="Aide réservée aux ZAC", professions=["medecin-generaliste"], zonage_requis=["zac"]
        ),
        "internes": AideFactory(nom="Bourse des internes", situations=["interne"]),
        "infirmiers": AideFactory(nom="Aide aux infirmiers", professions=["infirmier"]),
        "sages_femmes": AideFactory(nom="Aide aux sages-femmes", professions=["sage-femme"]),
        "close": AideFactory(nom="Aide close", close=True),
    }


def _section(html: str) -> str:
    debut = html.index('id="aides-annonce"')
    return unescape(html[debut : html.index("</section>", debut)])


def _noms_du_simulateur(profession, situation, commune) -> set[str]:
    projet_ = eligibilite.projet_pour(profession=profession, situation=situation, commune=commune)
    return {r.aide.nom for r in eligibilite.simuler(projet_).eligibles}


@pytest.mark.parametrize("nature", Nature.values)
def test_les_aides_de_la_fiche_sont_celles_du_simulateur(client, lieux, aides, nature):
    """For every kind of post and each of its professions, the page lists exactly what the
    simulator finds for the assumed situation in the post's commune, and says what it assumed."""
    annonce = OpportuniteFactory(
        publiee=True,
        nature=nature,
        commune=lieux["felletin"],
        professions=["medecin-generaliste", "infirmier"],
    )
    section = _section(client.get(annonce.get_absolute_url()).content.decode())
    situation = fiche.SITUATION_SUPPOSEE[nature]
    assert f"« {situation.label.lower()} » (supposée d'après le type d'annonce)" in section
    for profession in annonce.professions:
        attendues = _noms_du_simulateur(profession, situation, lieux["felletin"])
        bloc = section[section.index(f'id="aides-{profession}"') :]
        bloc = bloc[: bloc.index("</div>")]
        for aide in aides.values():
            assert (f">{aide.nom}</a>" in bloc) == (aide.nom in attendues), (
                profession,
                aide.nom,
            )
    assert "Aide aux sages-femmes" not in section and "Aide close" not in section
    assert ("Bourse des internes" in section) == (situation == "interne")
    assert ("à l'installation ZIP" in section) == (situation == "installe")


def test_la_situation_du_lecteur_connu_remplace_la_supposition(client, lieux, aides):
    annonce = OpportuniteFactory(publiee=True, commune=lieux["felletin"])  # a practice
    anonyme = _section(client.get(annonce.get_absolute_url()).content.decode())
    assert "Bourse des internes" not in anonyme
    client.force_login(f.UserFactory(situation="interne"))
    connu = _section(client.get(annonce.get_absolute_url()).content.decode())
    assert "« interne » (d'après votre compte)" in connu
    assert "Bourse des internes" in connu


def test_la_situation_de_la_derniere_simulation(client, lieux, aides):
    annonce = OpportuniteFactory(publiee=True, commune=lieux["felletin"])
    reponse = HttpResponse()
    projet.memoriser(reponse, profession="infirmier", situation="interne", commune="23079")
    client.cookies[projet.COOKIE] = reponse.cookies[projet.COOKIE].value
    section = _section(client.get(annonce.get_absolute_url()).content.decode())
    assert "(d'après votre dernière simulation)" in section
    assert "Bourse des internes" in section


@pytest.mark.parametrize("cle", ["felletin", "lamentin", "gros_morne", "cayenne"])
def test_le_lien_vers_le_simulateur_garde_la_commune_et_la_profession(client, lieux, cle):
    """Commune INSEE code in, the same commune out: the simulator opens on the situation
    question with that commune carried along (97213 is never read as Gros-Morne's postal code)."""
    commune = lieux[cle]
    annonce = OpportuniteFactory(publiee=True, commune=commune, professions=["infirmier"])
    html = client.get(annonce.get_absolute_url()).content.decode()
    url = fiche.url_simulateur("infirmier", commune)
    assert f'href="{url}"' in _section(html)
    reponse = client.get(url)
    assert reponse.context["etape"] == 1  # "Votre situation"
    assert dict(reponse.context["caches"]) == {"profession": "infirmier", "commune": commune.code}


def test_fiche_requetes_bornees_quel_que_soit_le_nombre_d_aides(client, lieux):
    """Cold (nothing kept), with the simulator's results kept, and the whole page kept: the
    same number of queries for 2 or 20 aids per profession."""
    annonce = OpportuniteFactory(
        publiee=True, commune=lieux["felletin"], professions=["medecin-generaliste", "infirmier"]
    )

    def mesurer():
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(annonce.get_absolute_url()).status_code == 200
        return len(requetes)

    def compter(n):
        AideFactory.create_batch(n)
        AideFactory.create_batch(n, professions=["infirmier"], situations=["installe"])
        tout_oublier()
        caches["pages"].clear()
        froide = mesurer()
        caches["pages"].clear()
        return froide, mesurer(), mesurer()

    mesurer()  # process-wide memos (the page cache's table list, DSFR settings) filled once
    peu, beaucoup = compter(2), compter(20)
    assert peu == beaucoup
    assert peu[0] <= 12
