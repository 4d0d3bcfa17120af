"""`make bench` measures every public page of the URLconf, not a chosen list (issue 29).

benchmarks/pages.py classifies every URL pattern outside the admin by an anonymous GET of one
address filled from the database: measured (200), not public (login, 403, 405), left out with a
reason (EXCLUES) or "à classer" — which stops the bench. Here the database is a small world
built with the factories, with one object of each kind the public pages show.
"""

import datetime

import pytest
from django.test import Client
from django.urls import resolve

from benchmarks import pages
from demographie import synthese
from tests.aides.factories import AideFactory
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EffectifFactory,
    PopulationFactory,
    RegionFactory,
    UserFactory,
)
from tests.installation.factories import DocumentFactory, EtapeFactory, EvenementFactory
from tests.rendezvous.factories import LieuFactory, MotifFactory, PlageFactory, RendezVousFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde(pages_editoriales):
    """The objects the bench takes its path parameters from, as the demo content has them."""
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code=pages.DEPARTEMENT, nom="Deux-Sèvres", region=region)
    CommuneFactory(code=pages.COMMUNE, nom="Niort", departement=dep)
    PopulationFactory(annee=2025, departement=dep)
    EffectifFactory(departement=dep)
    synthese.recalculer()  # with the headcounts, as every import (the demo's too) does
    AideFactory()
    DocumentFactory().parcours.add(EtapeFactory().parcours)
    EvenementFactory()
    motif = MotifFactory(slug=pages.MOTIF)
    plage = PlageFactory(lieu=LieuFactory(departement=dep))
    plage.motifs.add(motif)
    plage.referent.departements.set([dep])
    RendezVousFactory(referent=plage.referent, lieu=plage.lieu, motif=motif)
    pages.preparer_annonce_document()


def _routes(classes):
    routes = {p["route"] for p in classes["mesurees"].values()}
    for cle in ("reservees", "exclues", "a_classer"):
        routes |= set(classes[cle])
    return routes


def test_chaque_motif_public_est_mesure_ou_exclu_avec_sa_raison(monde):
    classes = pages.classer(Client())
    assert not classes["a_classer"], "\n".join(
        f"{route} ({v['nom']}) : {v['raison']}" for route, v in classes["a_classer"].items()
    )
    # Every pattern of the URLconf (admin aside) is in one class: none is forgotten.
    assert _routes(classes) == {route for _, route, _ in pages.motifs()}
    for cle, page in classes["mesurees"].items():
        assert resolve(page["chemin"].split("?")[0]).route == page["route"], cle
    mesures = {p["nom"] for p in classes["mesurees"].values()}
    # The pages the issue names, among them those the old fixed list left out.
    assert {
        "rendezvous:creneaux",
        "aides:simulateur",
        "installation:accueil",
        "installation:contacts",
        "demographie:accueil",
        "guichet:communes",
        "aides:detail",
        "installation:etape",
        "guichet:commune",
        "demographie:territoire",
    } <= mesures
    assert classes["mesurees"]["aides:simulateur (résultat)"]["chemin"].count("=") >= 5
    # The signed-in pages are reserved anonymously.
    reservees = {v["nom"] for v in classes["reservees"].values()}
    assert set(pages.SIGNEES) <= reservees


def test_une_exclusion_nomme_un_motif_existant():
    noms = {nom for nom, _, _ in pages.motifs()}
    assert set(pages.EXCLUES) <= noms
    assert all(len(raison) > 20 for raison in pages.EXCLUES.values())


@pytest.mark.urls("tests.benchmarks.urls_nouveau_motif")
def test_un_nouveau_motif_public_est_mesure_ou_arrete_le_banc(monde):
    classes = pages.classer(Client())
    # Fillable: measured without anyone adding it to a list.
    assert classes["mesurees"]["nouvelle_page"]["chemin"] == "/nouvelle-page/"
    # A parameter the dataset cannot give: "à classer" until parametres() or EXCLUES says.
    assert classes["a_classer"]["nouvelle-page/<str:inconnu>/"]["nom"] == "page_a_parametre"
    assert classes["a_classer"]["page-cassee/"]["raison"].endswith("HTTP 404")


def test_pages_connectees_servies_a_leur_session(monde):
    UserFactory(email=pages.COURRIEL_AGENT, admin_national=True)
    utilisateurs = pages.preparer_sessions()
    assert pages.preparer_sessions()["plan"] == utilisateurs["plan"]  # idempotent
    signees = pages.signees(utilisateurs)
    assert set(signees) == set(pages.SIGNEES)
    lundi = datetime.date.today() - datetime.timedelta(datetime.date.today().weekday())
    assert lundi.isoformat() in signees["rendezvous:agenda_semaine"]["chemin"]
    for nom, page in signees.items():
        client = Client()
        client.force_login(utilisateurs[page["session"]])
        assert client.get(page["chemin"], secure=True).status_code == 200, nom


def test_annonces_dans_la_serie_du_banc(monde):
    """Issue 30: a post's page, its document and the list with filters and radius are in the
    bench's mix; that list costs at most 10 queries, the same with 3 and 30 posts around."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from guichet.models import Commune
    from opportunites.models import Opportunite
    from tests.opportunites.factories import OpportuniteFactory

    mesurees = pages.classer(Client())["mesurees"]
    assert {"opportunites:detail", "opportunites:piece_jointe", "opportunites:liste"} <= {
        p["nom"] for p in mesurees.values()
    }
    filtree = mesurees["opportunites:liste (filtres et rayon)"]["chemin"]
    assert {f"commune={pages.COMMUNE}", "rayon=30", "profession=medecin-generaliste"} <= set(
        filtree.split("?")[1].split("&")
    )
    centre = Commune.objects.get(code=pages.COMMUNE)
    assert centre.situee  # the radius is searched, not only the commune itself
    voisines = list(Commune.objects.autour(centre.latitude, centre.longitude, 30)[:5])
    client = Client()

    def compter(total):
        while Opportunite.objects.publiees().count() < total:
            n = Opportunite.objects.count()
            OpportuniteFactory(publiee=True, commune=voisines[n % len(voisines)])
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(filtree, secure=True)
        assert reponse.status_code == 200
        assert len(reponse.context["page_obj"]) == min(total, 20)
        return len(requetes)

    client.get(filtree, secure=True)  # process-wide memos filled once
    peu, beaucoup = compter(3), compter(30)
    assert peu == beaucoup <= 10
