"""An agent of region A reaches nothing of region B: lists, details, edits, actions, exports."""

import pytest
from django.urls import reverse

from espace.models import Accompagnement, Question
from tests.espace.factories import AccompagnementFactory, QuestionFactory
from tests.factories import UserFactory


@pytest.fixture
def donnees_b(territoires):
    return {
        "question": QuestionFactory(commune=territoires["commune_b"], sujet="Sujet de B"),
        "accompagnement": AccompagnementFactory(
            commune_cible=territoires["commune_b"], nom="Personne de B"
        ),
    }


@pytest.fixture
def donnees_a(territoires):
    return {
        "question": QuestionFactory(commune=territoires["commune_a"], sujet="Sujet de A"),
        "accompagnement": AccompagnementFactory(
            commune_cible=territoires["commune_a"], nom="Personne de A"
        ),
    }


@pytest.mark.parametrize("qui", ["agent_a", "referent_a"])
def test_listes_et_exports_sans_la_region_b(client, request, donnees_a, donnees_b, qui):
    client.force_login(request.getfixturevalue(qui))
    boite = client.get(reverse("espace:boite"), {"statut": "toutes"}).content.decode()
    assert "Sujet de A" in boite and "Sujet de B" not in boite
    liste = client.get(reverse("espace:accompagnements")).content.decode()
    assert "Personne de A" in liste and "Personne de B" not in liste
    export = client.get(reverse("espace:accompagnements"), {"format": "csv"}).content.decode()
    assert "Personne de A" in export and "Personne de B" not in export


@pytest.mark.parametrize(
    "nom, methode, cle",
    [
        ("espace:question", "get", "question"),
        ("espace:question", "post", "question"),
        ("espace:question_accompagnement", "post", "question"),
        ("espace:accompagnement", "get", "accompagnement"),
        ("espace:accompagnement", "post", "accompagnement"),
        ("espace:accompagnement_modifier", "get", "accompagnement"),
        ("espace:accompagnement_modifier", "post", "accompagnement"),
    ],
)
def test_details_et_modifications_de_b_introuvables(client, agent_a, donnees_b, nom, methode, cle):
    client.force_login(agent_a)
    objet = donnees_b[cle]
    reponse = getattr(client, methode)(reverse(nom, args=[objet.pk]), {"texte": "x", "nom": "x"})
    assert reponse.status_code == 404
    objet.refresh_from_db()
    assert objet.sujet == "Sujet de B" if cle == "question" else objet.nom == "Personne de B"
    assert not Accompagnement.objects.filter(questions=donnees_b["question"]).exists()


@pytest.mark.parametrize("action", ["prendre", "clore", "rouvrir", "attribuer"])
def test_actions_sur_une_question_de_b_introuvables(client, agent_a, donnees_b, action):
    client.force_login(agent_a)
    question = donnees_b["question"]
    url = reverse("espace:question_action", args=[question.pk, action])
    assert client.post(url, {"referent": agent_a.pk}).status_code == 404
    question.refresh_from_db()
    assert question.statut == Question.Statut.NOUVELLE and question.referent is None


def test_tableau_de_bord_ne_compte_pas_b(client, agent_a, territoires, donnees_a, donnees_b):
    client.force_login(agent_a)
    # Asking for region B's perimeter falls back to the agent's own scope.
    reponse = client.get(reverse("espace:tableau_de_bord"), {"perimetre": "region-B1"})
    assert reponse.context["perimetre"].cle == "tout"
    assert reponse.context["actuelle"].questions_recues == 1
    assert reponse.context["actuelle"].accompagnes == 1
    export = client.get(reverse("espace:tableau_de_bord_csv"), {"perimetre": "departement-B1D"})
    assert "Département B" not in export.content.decode()


def test_attribution_hors_equipe_refusee(client, agent_a, referent_b, donnees_a):
    client.force_login(agent_a)
    question = donnees_a["question"]
    client.post(
        reverse("espace:question_action", args=[question.pk, "attribuer"]),
        {"referent": referent_b.pk},
    )
    question.refresh_from_db()
    assert question.referent is None


def test_choix_du_formulaire_limites_au_perimetre(client, agent_a, referent_b, territoires):
    client.force_login(agent_a)
    form = client.get(reverse("espace:accompagnement_nouveau")).context["form"]
    assert list(form.fields["departement"].queryset) == [territoires["dep_a"]]
    assert referent_b not in form.fields["referent"].queryset
    reponse = client.post(
        reverse("espace:accompagnement_nouveau"),
        {
            "nom": "Hors périmètre",
            "profession": "infirmier",
            "departement": "B1D",
            "premier_contact_le": "2026-01-05",
        },
    )
    assert reponse.status_code == 200
    assert not Accompagnement.objects.filter(nom="Hors périmètre").exists()


def test_admin_de_l_espace_limite_au_perimetre(client, agent_a, donnees_a, donnees_b):
    client.force_login(agent_a)
    liste = client.get(reverse("admin:espace_question_changelist")).content.decode()
    assert "Sujet de A" in liste and "Sujet de B" not in liste
    url_b = reverse("admin:espace_accompagnement_change", args=[donnees_b["accompagnement"].pk])
    assert client.get(url_b).status_code in (302, 404)


def test_public_et_anonyme_exclus(client, territoires, donnees_a):
    assert client.get(reverse("espace:boite")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("espace:boite")).status_code == 403
    assert client.get(reverse("espace:tableau_de_bord")).status_code == 403
