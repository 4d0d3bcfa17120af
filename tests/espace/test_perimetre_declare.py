"""The staff space reads scopes from the models' declarations (guichet.scoping), like the admin:
no lookup path of its own, no scope check of its own."""

import itertools

import pytest
from django.urls import reverse

from espace.models import Accompagnement, Question
from guichet import scoping
from tests.espace.factories import QuestionFactory
from tests.factories import UserFactory
from tests.rendezvous.factories import LieuFactory, ReferentFactory, RendezVousFactory


@pytest.fixture
def comptes(territoires, agent_a, referent_a, referent_b):
    return {
        "national": UserFactory(admin_national=True),
        "agent_a": agent_a,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "inactif": UserFactory(agent_ars=True, regions=[territoires["region_a"]], is_active=False),
        "public": UserFactory(),
    }


def test_couvre_suit_la_declaration_pour_chaque_compte_et_chaque_departement(territoires, comptes):
    attendu = {
        "national": {"dep_a", "dep_b"},
        "agent_a": {"dep_a"},
        "referent_a": {"dep_a"},
        "referent_b": {"dep_b"},
        "inactif": set(),
        "public": set(),
    }
    for (nom, user), dep in itertools.product(comptes.items(), ("dep_a", "dep_b")):
        question = Question(departement=territoires[dep], sujet="Installation")  # unsaved
        assert scoping.couvre(user, question) == (dep in attendu[nom]), (nom, dep)


def test_les_listes_de_l_espace_sont_celles_des_declarations(territoires, comptes):
    for commune in ("commune_a", "commune_b"):
        QuestionFactory(commune=territoires[commune])
    for user in comptes.values():
        liste = set(Question.objects.pour_perimetre(user))
        assert liste == set(scoping.lecture(Question.objects.all(), user))


def test_un_rendez_vous_n_ouvre_un_accompagnement_que_pour_ceux_qui_le_lisent(
    client, territoires, agent_a, referent_a
):
    """Applicants' personal data are declared for referents only: an ARS agent of the region
    who is not a referent cannot read a meeting through the staff space either."""
    rdv = RendezVousFactory(
        lieu=LieuFactory(departement=territoires["dep_a"]),
        referent=ReferentFactory(utilisateur=referent_a, departements=[territoires["dep_a"]]),
    )
    url = reverse("espace:rendezvous_accompagnement", args=[rdv.uuid])
    client.force_login(agent_a)
    assert client.post(url).status_code == 404
    assert not Accompagnement.objects.exists()
    client.force_login(referent_a)
    assert client.post(url).status_code == 302
    assert Accompagnement.objects.count() == 1
