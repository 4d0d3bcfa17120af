"""Issue 29: the signed-in pages (staff dashboard, inbox, referent's week, a user's plan) run at
most 10 SQL queries, and as many with ten times more rows as with few."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from espace.models import CompteurJournalier
from installation import services as installation_services
from tests.aides.factories import AideFactory, OrganisationFactory
from tests.espace.factories import AccompagnementFactory, QuestionFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory
from tests.installation.factories import ContactFactory, EtapeFactory, ParcoursFactory
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    RendezVousFactory,
)

pytestmark = pytest.mark.django_db

PLAFOND = 10
TAILLE = 3  # rows of each kind at the small size


@pytest.fixture
def base():
    """One département of one region, an ARS agent, a referent with opening hours, a public
    user with a plan."""
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    referent = ReferentFactory(utilisateur=UserFactory(referent=True, departements=[dep]))
    referent.departements.set([dep])
    lieu = LieuFactory(departement=dep)
    motif = MotifFactory()
    PlageFactory(referent=referent, lieu=lieu, motifs=[motif])
    parcours = ParcoursFactory()
    organisation = OrganisationFactory()
    EtapeFactory(parcours=parcours, ordre=0, organisation=organisation)
    commune = CommuneFactory(code="79000", departement=dep)
    usager = UserFactory()
    plan = installation_services.plan_commencer(
        utilisateur=usager, parcours=parcours, commune=commune
    )
    lundi = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    pages = {
        "espace:tableau_de_bord": (
            UserFactory(agent_ars=True, regions=[region]),
            reverse("espace:tableau_de_bord"),
        ),
        "espace:tableau_de_bord (national)": (
            UserFactory(admin_national=True),
            reverse("espace:tableau_de_bord"),
        ),
        "espace:boite": (referent.utilisateur, reverse("espace:boite")),
        "rendezvous:agenda_semaine": (
            referent.utilisateur,
            reverse("rendezvous:agenda_semaine", args=[lundi]) + f"?referent={referent.pk}",
        ),
        "installation:plan": (usager, plan.get_absolute_url()),
    }
    return {
        "dep": dep,
        "referent": referent,
        "lieu": lieu,
        "motif": motif,
        "lundi": lundi,
        "parcours": parcours,
        "organisation": organisation,
        "plan": plan,
        "pages": pages,
        "rang": 0,
    }


def _ajouter(base: dict, n: int) -> None:
    """n more rows of every kind the four pages read."""
    dep, lundi, referent = base["dep"], base["lundi"], base["referent"]
    maintenant = timezone.now()
    for _ in range(n):
        i = base["rang"] = base["rang"] + 1
        commune = CommuneFactory(code=f"79{i:03d}", departement=dep)
        QuestionFactory(
            commune=commune,
            referent=referent.utilisateur if i % 2 else None,
            recue_le=maintenant - datetime.timedelta(days=i % 40),
        )
        AccompagnementFactory(
            commune_cible=commune,
            premier_contact_le=lundi - datetime.timedelta(days=i % 200),
            profession=("medecin-generaliste", "infirmier")[i % 2],
            **({"installe": True} if i % 3 == 0 else {}),
        )
        debut = datetime.datetime.combine(
            lundi + datetime.timedelta(days=i % 5), datetime.time(8 + i % 9), datetime.UTC
        )
        RendezVousFactory(
            referent=referent,
            lieu=base["lieu"],
            motif=base["motif"],
            debut=debut,
            statut=("confirme", "honore", "absent")[i % 3],
        )
        CompteurJournalier.incrementer("simulation", departement=dep, jour=lundi)
        AideFactory(professions=["infirmier"], portee="departement").departements.set([dep])
        etape = EtapeFactory(parcours=base["parcours"], ordre=i, organisation=base["organisation"])
        ContactFactory(organisation=base["organisation"], departement=dep)
        if i % 2:
            installation_services.etape_suivre(plan=base["plan"], etape=etape, fait=True)


def _requetes(client, chemin, django_assert_max_num_queries) -> int:
    assert client.get(chemin).status_code == 200  # first display: per-process caches
    with django_assert_max_num_queries(PLAFOND):
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(chemin).status_code == 200
    return len(requetes)


@pytest.mark.parametrize(
    "page",
    [
        "espace:tableau_de_bord",
        "espace:tableau_de_bord (national)",
        "espace:boite",
        "rendezvous:agenda_semaine",
        "installation:plan",
    ],
)
def test_page_connectee_en_requetes_bornees_et_constantes(
    client, base, page, django_assert_max_num_queries
):
    utilisateur, chemin = base["pages"][page]
    client.force_login(utilisateur)
    comptes = []
    for n in (TAILLE, 9 * TAILLE):  # then ten times as many rows
        _ajouter(base, n)
        comptes.append(_requetes(client, chemin, django_assert_max_num_queries))
    assert comptes[0] == comptes[1], comptes
