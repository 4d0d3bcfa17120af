"""A post's page for its reader (issue 30, "Find"): the aids they could get there, computed by
the simulator itself, with what was assumed and a link to refine in the simulator; the referent
to call, with a booking link on the post's commune."""

from html import unescape

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aides import eligibilite
from guichet import projet
from guichet.cache import tout_oublier
from guichet.cache_pages import ENTETE_STATUT
from opportunites import fiche
from opportunites.models import Nature
from tests import factories as f
from tests.aides.factories import AideFactory, ZonageFactory
from tests.opportunites.factories import OpportuniteFactory
from tests.rendezvous.factories import ReferentFactory

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


def test_fiche_requetes_bornees_quel_que_soit_le_nombre_d_aides_et_de_referents(client, lieux):
    """Cold (nothing kept), with the simulator's results and the referents kept, and the whole
    page kept: the same number of queries for 2 or 20 aids per profession and referents."""
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
        ReferentFactory.create_batch(n, departements=[lieux["felletin"].departement])
        tout_oublier()
        caches["pages"].clear()
        froide = mesurer()
        caches["pages"].clear()
        return froide, mesurer(), mesurer()

    mesurer()  # process-wide memos (the page cache's table list, DSFR settings) filled once
    peu, beaucoup = compter(2), compter(20)
    assert peu == beaucoup
    assert peu[0] <= 12


def _referent(html: str) -> str:
    debut = html.index('id="referent-annonce"')
    return unescape(html[debut : html.index("</section>", debut)])


def test_le_referent_du_departement_de_l_annonce(client, lieux):
    creuse, martinique = lieux["felletin"].departement, lieux["lamentin"].departement
    ReferentFactory(
        departements=[creuse], utilisateur__first_name="Camille", utilisateur__last_name="Creuse"
    )
    ReferentFactory(
        departements=[creuse],
        actif=False,
        utilisateur__first_name="Ancien",
        utilisateur__last_name="Référent",
    )
    ReferentFactory(
        departements=[martinique],
        genre="f",
        utilisateur__first_name="Line",
        utilisateur__last_name="Martinique",
    )
    felletin = OpportuniteFactory(publiee=True, commune=lieux["felletin"])
    section = _referent(client.get(felletin.get_absolute_url()).content.decode())
    assert "Camille Creuse" in section and "pour le département de la Creuse" in section
    assert "Ancien" not in section and "Line Martinique" not in section
    lamentin = OpportuniteFactory(publiee=True, commune=lieux["lamentin"])
    section = _referent(client.get(lamentin.get_absolute_url()).content.decode())
    assert "Référente installation pour le département de la Martinique" in section
    assert "Prendre rendez-vous avec la référente installation" in section
    assert "Camille" not in section
    cayenne = OpportuniteFactory(publiee=True, commune=lieux["cayenne"])  # nobody in Guyane
    section = _referent(client.get(cayenne.get_absolute_url()).content.decode())
    assert "couvre le département de la Guyane" in section
    assert "Prendre rendez-vous avec le référent installation" in section


@pytest.mark.parametrize("cle", ["felletin", "lamentin", "gros_morne", "cayenne"])
def test_le_lien_de_rendez_vous_garde_la_commune(client, lieux, cle):
    """The booking link names the post's commune by its INSEE code; the booking page reads it
    as that commune (never as a postal code): it goes to its département and keeps the commune
    to pre-fill the booking."""
    commune = lieux[cle]
    annonce = OpportuniteFactory(publiee=True, commune=commune)
    section = _referent(client.get(annonce.get_absolute_url()).content.decode())
    url = f"{reverse('rendezvous:accueil')}?commune={commune.code}"
    assert f'href="{url}"' in section
    reponse = client.get(url)
    assert reponse.status_code == 302
    assert reponse.url == reverse("rendezvous:motifs", args=[commune.departement_id])
    client.cookies[projet.COOKIE] = reponse.cookies[projet.COOKIE].value
    assert projet.lire(client.get(reponse.url).wsgi_request)["commune"] == commune.code


def test_la_fiche_reste_gardee_entiere_pour_un_lecteur_anonyme(client, lieux):
    """The referents' names are kept with the content versions that cover them: from the
    second anonymous request on, the page comes from the page cache."""
    ReferentFactory(departements=[lieux["felletin"].departement])
    annonce = OpportuniteFactory(publiee=True, commune=lieux["felletin"])
    client.get(annonce.get_absolute_url())
    assert client.get(annonce.get_absolute_url())[ENTETE_STATUT] == "hit"


def test_les_premieres_aides_et_le_nombre_des_autres(client, lieux):
    AideFactory.create_batch(fiche.AIDES_AFFICHEES + 3, professions=["infirmier"])
    annonce = OpportuniteFactory(publiee=True, commune=lieux["felletin"], professions=["infirmier"])
    section = _section(client.get(annonce.get_absolute_url()).content.decode())
    assert section.count('<li><a href="/aides/') == fiche.AIDES_AFFICHEES
    assert f"{fiche.AIDES_AFFICHEES + 3} aides correspondent à votre projet" in section
    assert "Voir les 3 autres aides et préciser votre situation dans le simulateur" in section
