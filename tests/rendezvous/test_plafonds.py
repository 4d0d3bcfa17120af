"""Agenda filling: bounded future meetings per e-mail and per address, nobody locked out."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from rendezvous import services
from rendezvous.models import RendezVous
from tests.factories import UserFactory
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    territoire,
)

MAINTENANT = datetime.datetime(2026, 12, 1, 10, 17, tzinfo=datetime.UTC)  # a Tuesday
JOUR = datetime.date(2026, 12, 7)  # the next Monday
PARIS = ZoneInfo("Europe/Paris")
VICTIME = "victime@exemple.fr"


@pytest.fixture
def agenda(db):
    """Three referents of one département, each open 9:00–12:00 every day."""
    with time_machine.travel(MAINTENANT, tick=False):
        dep = territoire()
        motif = MotifFactory(
            delai_minimum_heures=0, fenetre_jours=30, duree_minutes=45, tampon_minutes=15
        )
        referents = []
        for _ in range(3):
            referent = ReferentFactory(departements=[dep])
            PlageFactory(
                referent=referent,
                motifs=[motif],
                lieu=LieuFactory(departement=dep),
                date_debut=MAINTENANT.date(),
            )
            referents.append(referent)
        yield dep, motif, referents


def _a(heure, jours=0):
    return datetime.datetime.combine(
        JOUR + datetime.timedelta(days=jours), datetime.time(heure), PARIS
    )


def _reserver(agenda, referent, debut, courriel, utilisateur=None):
    dep, motif, _ = agenda
    return services.rendezvous_reserver(
        departement=dep,
        motif=motif,
        referent_id=referent.pk,
        debut=debut,
        demandeur={"nom": "Léa Durand", "courriel": courriel},
        utilisateur=utilisateur,
    )[0]


def test_plafonds_par_courriel_et_par_referent(agenda):
    a, b, c = agenda[2]
    premier = _reserver(agenda, a, _a(9), "lea@exemple.fr")
    with pytest.raises(services.ReservationsPlafonnees, match="avec ce référent"):
        _reserver(agenda, a, _a(9, jours=1), "Lea@Exemple.fr")
    _reserver(agenda, b, _a(10), "lea@exemple.fr")
    with pytest.raises(services.ReservationsPlafonnees, match="déjà 2 rendez-vous à venir"):
        _reserver(agenda, c, _a(11), " LEA@exemple.fr ")
    assert RendezVous.objects.count() == 2
    # A cancelled meeting, or one already past, frees its place.
    services.rendezvous_annuler(rdv=premier)
    _reserver(agenda, c, _a(11), "lea@exemple.fr")
    with time_machine.travel(_a(12, jours=1), tick=False):
        _reserver(agenda, a, _a(9, jours=2), "lea@exemple.fr")


def test_un_tiers_ne_prive_pas_le_titulaire_de_rendez_vous(agenda):
    """Meetings booked in someone's name fill the "others" share, never the owner's."""
    a, b, c = agenda[2]
    titulaire = UserFactory(email=VICTIME)
    intrus = UserFactory(email="intrus@exemple.fr")
    _reserver(agenda, a, _a(9), VICTIME)  # anonymous, typing the victim's e-mail
    _reserver(agenda, b, _a(10), VICTIME, utilisateur=intrus)  # another account, same trick
    with pytest.raises(services.ReservationsPlafonnees, match="connectez-vous"):
        _reserver(agenda, c, _a(11), VICTIME)
    # The owner, logged in with that address, still books — with any referent.
    _reserver(agenda, a, _a(11, jours=1), VICTIME, utilisateur=titulaire)
    _reserver(agenda, c, _a(11), VICTIME, utilisateur=titulaire)
    with pytest.raises(services.ReservationsPlafonnees, match="Vous avez déjà 2"):
        _reserver(agenda, b, _a(9, jours=2), VICTIME, utilisateur=titulaire)
    assert RendezVous.objects.filter(utilisateur=titulaire).count() == 2


def _cles(client, agenda):
    dep, motif, _ = agenda
    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug])
    html = client.get(url, {"semaine": JOUR.isoformat()}).content.decode()
    return re.findall(r'reserver/\?creneau=([\d]+-[\dT]+)"', html)


def _poster(client, agenda, cle, courriel, adresse):
    dep, motif, _ = agenda
    url = reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={cle}"
    html = client.get(url, REMOTE_ADDR=adresse).content.decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', html)[1]
    return client.post(
        url,
        {"creneau": cle, "nonce": nonce, "nom": "Léa Durand", "courriel": courriel},
        REMOTE_ADDR=adresse,
    )


def test_une_adresse_ne_remplit_pas_l_agenda(client, agenda):
    """20 bookings in a row from one address, each with a new e-mail: the address is bounded."""
    with time_machine.travel(MAINTENANT, tick=False):
        cles = _cles(client, agenda)
        assert len(cles) >= 20
        statuts = [
            _poster(client, agenda, cle, f"personne{n}@exemple.fr", "203.0.113.66").status_code
            for n, cle in enumerate(cles[:20])
        ]
    assert statuts == [302] * 6 + [429] * 14
    assert RendezVous.objects.count() == 6


def test_la_page_explique_le_plafond_sans_rien_reserver(client, agenda):
    with time_machine.travel(MAINTENANT, tick=False):
        cles = _cles(client, agenda)
        par_referent = {}
        for cle in cles:
            par_referent.setdefault(cle.split("-")[0], []).append(cle)
        # Three referents, three different hours: two bookings, then a third.
        premiers = [liste[n] for n, liste in enumerate(par_referent.values())]
        for cle in premiers[:2]:
            assert _poster(client, agenda, cle, VICTIME, "203.0.113.66").status_code == 302
        reponse = _poster(client, agenda, premiers[2], VICTIME, "203.0.113.66")
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "déjà 2 rendez-vous à venir" in page and "connectez-vous" in page
    assert RendezVous.objects.count() == 2


def test_les_essais_d_un_tiers_ne_bloquent_pas_le_titulaire(client, agenda):
    """The per-e-mail rate is kept per (address, e-mail): a third party spends their own."""
    titulaire = UserFactory(email=VICTIME)
    with time_machine.travel(MAINTENANT, tick=False):
        cles = _cles(client, agenda)
        statuts = [
            _poster(client, agenda, cle, VICTIME, "203.0.113.66").status_code for cle in cles[:5]
        ]
        assert statuts[-1] == 429
        client.force_login(titulaire)
        reponse = _poster(client, agenda, cles[-1], VICTIME, "198.51.100.20")
    assert reponse.status_code == 302
    assert RendezVous.objects.filter(utilisateur=titulaire).count() == 1
