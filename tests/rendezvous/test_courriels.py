"""Each side's copy of a booking e-mail is written to its reader; places and invitations read
as French."""

import datetime

import pytest
from django.core import mail
from icalendar import Calendar

from rendezvous import services
from rendezvous.models import Lieu
from tests.rendezvous.factories import LieuFactory, RendezVousFactory, martinique, territoire

EVENEMENTS = {
    "réservation": lambda rdv: services.notifier_reservation(rdv, "jeton"),
    "déplacement": lambda rdv: services.notifier_deplacement(rdv, rdv.debut),
    "annulation": services.notifier_annulation,
}


def _rdv(dep=None, **lieu):
    dep = dep or territoire()
    rdv = RendezVousFactory(
        nom="Léa Durand",
        courriel="lea@exemple.fr",
        lieu=LieuFactory(departement=dep, nom="Entretien en visioconférence", type="visio", **lieu),
    )
    rdv.referent.departements.set([dep])
    return rdv


@pytest.mark.django_db
@pytest.mark.parametrize("evenement", EVENEMENTS)
@pytest.mark.parametrize("dep", [territoire, martinique])
def test_la_copie_du_referent_lui_est_ecrite(evenement, dep):
    rdv = _rdv(dep())
    EVENEMENTS[evenement](rdv)
    (usager,) = [m for m in mail.outbox if m.to == ["lea@exemple.fr"]]
    (referent,) = [m for m in mail.outbox if m.to == [rdv.referent.utilisateur.email]]
    # The referent's copy: to them, naming the applicant, never "sent by <the referent>".
    assert referent.body.startswith(f"Bonjour {rdv.referent.nom},")
    assert "Léa Durand" in referent.body and "lea@exemple.fr" in referent.body
    assert f"envoyé par {rdv.referent.nom}" not in referent.body
    assert "envoyez-le à Léa Durand" in referent.body
    assert f"({rdv.nom_fuseau})" in referent.subject
    assert "Léa" not in referent.subject
    # The person's copy keeps their name and says who sends the link.
    assert usager.body.startswith("Bonjour Léa Durand,")
    assert f"envoyé par {rdv.referent.nom}" in usager.body
    assert f"({rdv.nom_fuseau})" in usager.subject or evenement == "réservation"


@pytest.mark.django_db
def test_le_message_du_demandeur_n_est_pas_recopie():
    rdv = _rdv()
    rdv.message = "Votre compte est suspendu : https://phishing.example"
    services.notifier_reservation(rdv, "jeton")
    for message in mail.outbox:
        assert "phishing" not in message.body and "suspendu" not in message.body
    assert "Léa Durand a laissé un message : lisez-le dans votre agenda" in mail.outbox[1].body


@pytest.mark.parametrize("type_", Lieu.Type.values)
@pytest.mark.parametrize(
    "nom",
    [
        "Entretien en visioconférence",
        "Entretien par téléphone",
        "Maison de santé sur place",
        "Délégation départementale",
    ],
)
def test_le_lieu_ne_repete_pas_sa_modalite(type_, nom):
    lieu = Lieu(nom=nom, type=type_, adresse="1 rue Haute, Niort")
    mot = lieu.modalite.split()[-1]
    assert lieu.libelle.lower().count(mot) == 1
    assert lieu.libelle.startswith(f"{nom}, 1 rue Haute, Niort")


@pytest.mark.django_db
def test_le_lieu_dans_le_courriel():
    rdv = _rdv(adresse="")
    services.notifier_reservation(rdv, "jeton")
    assert "Lieu : Entretien en visioconférence\n" in mail.outbox[0].body
    assert "visioconférence — en visioconférence" not in mail.outbox[0].body
    assert "Lieu : Entretien en visioconférence\n" in services._description_ics(rdv) + "\n"


@pytest.mark.django_db
def test_invitations_sans_commentaire_anglais():
    rdv = _rdv(martinique())
    flux = services.flux_referent(rdv.referent, [rdv])
    for contenu in (services.ics(rdv, methode="REQUEST"), flux):
        cal = Calendar.from_ical(contenu)
        assert cal.walk("VTIMEZONE")
        assert b"COMMENT" not in contenu and b"This timezone" not in contenu


@pytest.mark.django_db
def test_premier_du_mois_dans_les_courriels():
    rdv = _rdv()
    rdv.debut = datetime.datetime(2027, 2, 1, 9, tzinfo=datetime.UTC)
    rdv.fin = rdv.debut + datetime.timedelta(minutes=45)
    services.notifier_reservation(rdv, "jeton")
    for message in mail.outbox:
        assert "lundi 1er février" in message.subject + message.body
        assert " 1 février" not in message.subject + message.body
