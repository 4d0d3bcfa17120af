"""A referent is "référente" or "référent" as their record says, neutral when not given:
booking pages, e-mails, the ICS invitation, the commune page and the answer to a question."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from rendezvous import services
from tests.factories import CommuneFactory
from tests.rendezvous.factories import RendezVousFactory, territoire

pytestmark = pytest.mark.django_db

ATTENDUS = {
    "f": ("référente installation", "la référente installation"),
    "m": ("référent installation", "le référent installation"),
    "": ("référent ou référente installation", "le référent ou la référente installation"),
}
AUTRES = {"f": ["le référent installation", ", référent installation"], "m": ["référente"], "": []}


@pytest.mark.parametrize("genre", ["f", "m", ""])
def test_chaque_surface_accorde_le_referent(client, genre, django_capture_on_commit_callbacks):
    dep = territoire()
    rdv = RendezVousFactory(referent__genre=genre, lieu__departement=dep)
    rdv.referent.departements.set([dep])
    fonction, avec_article = ATTENDUS[genre]
    nom = rdv.referent.nom
    surfaces = {}
    services.notifier_reservation(rdv, "jeton")
    confirmation = mail.outbox[0]
    surfaces["courriel"] = confirmation.body
    assert f"Avec : {nom}, {fonction}" in confirmation.body
    assert f"Votre rendez-vous avec {avec_article} de l'" in confirmation.body
    rdv.motif_annulation = "Formation"
    services.notifier_annulation(rdv)
    (annulation,) = [m for m in mail.outbox[2:] if m.to == [rdv.courriel]]
    assert f"Raison donnée par {avec_article}" in annulation.body
    ics = Calendar.from_ical(services.ics(rdv, methode="REQUEST"))
    event = ics.walk("VEVENT")[0]
    assert str(event["summary"]).endswith(f"avec {avec_article}")
    assert f"{fonction.capitalize()} : {nom}" in str(event["description"])
    surfaces["ics"] = str(event["summary"]) + str(event["description"])
    html = client.get(reverse("rendezvous:motifs", args=[dep.code])).content.decode()
    assert "Rendez-vous dans le département des Deux-Sèvres (79)" in html
    if f"<strong>{nom}</strong>" in html:
        assert f"<strong>{nom}</strong>, {fonction}." in html
    commune = CommuneFactory(code="79191", nom="Niort", departement=dep)
    html = client.get(reverse("guichet:commune", args=[commune.code])).content.decode()
    assert f"{fonction.capitalize()} pour le département des Deux-Sèvres" in html
    surfaces["commune"] = html
    for surface, texte in surfaces.items():
        for faux in AUTRES[genre]:
            assert faux not in texte, (surface, faux)


@pytest.mark.ignore_template_errors
def test_genre_modifiable_dans_l_administration(client):
    from tests.factories import UserFactory
    from tests.rendezvous.factories import ReferentFactory

    dep = territoire()
    referent = ReferentFactory(departements=[dep])
    client.force_login(UserFactory(agent_ars=True, regions=[dep.region]))
    url = reverse("admin:rendezvous_referent_change", args=[referent.pk])
    html = client.get(url).content.decode()
    assert 'name="genre"' in html and "Non renseigné (formulation neutre" in html


@pytest.mark.parametrize(
    ("genre", "attendu"),
    [("f", "de la référente installation"), ("", "du référent ou de la référente")],
)
def test_reponse_a_une_question_signee_avec_l_accord(genre, attendu):
    from espace import services as espace_services
    from tests.espace.factories import QuestionFactory
    from tests.factories import UserFactory
    from tests.rendezvous.factories import ReferentFactory

    dep = territoire()
    utilisateur = UserFactory(
        referent=True, departements=[dep], first_name="Dominique", last_name="Martin"
    )
    referent = ReferentFactory(utilisateur=utilisateur, genre=genre, departements=[dep])
    question = QuestionFactory(commune=CommuneFactory(code="79191", departement=dep))
    espace_services.question_repondre(question=question, auteur=utilisateur, texte="Voici.")
    corps = mail.outbox[-1].body
    assert f"Voici la réponse {attendu}" in corps
    assert f"{referent.nom}, {ATTENDUS[genre][0]}" in corps
