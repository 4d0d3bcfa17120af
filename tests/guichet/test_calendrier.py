"""One ICS builder (guichet/calendrier.py): every calendar the portal writes — an event, a
region's feed, a meeting's invitation, a referent's feed — has its UIDs on SITE_URL's host,
however the file was fetched, and the portal's PRODID."""

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from rendezvous import services
from tests.factories import DepartementFactory, RegionFactory
from tests.installation.factories import EvenementFactory
from tests.rendezvous.factories import LieuFactory, RendezVousFactory, territoire

pytestmark = pytest.mark.django_db

HOTE = settings.SITE_URL.split("://")[1].split("/")[0]


def _calendriers(client):
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    evenement = EvenementFactory(titre="Forum de Niort", departement=dep)
    rdv = RendezVousFactory(lieu=LieuFactory(departement=territoire("17", "Charente-Maritime")))
    # fetched through another host name the portal answers to
    autre = {"HTTP_HOST": "localhost"}
    return {
        "événement": client.get(reverse("agenda:evenement_ics", args=[evenement.pk]), **autre),
        "région": client.get(reverse("agenda:region_ics", args=[region.code]), **autre),
        "invitation": services.ics(rdv, methode="REQUEST"),
        "flux du référent": services.flux_referent(rdv.referent, [rdv]),
    }


def test_chaque_calendrier_a_ses_uid_sur_l_hote_du_portail(client):
    for nom, contenu in _calendriers(client).items():
        contenu = getattr(contenu, "content", contenu)
        cal = Calendar.from_ical(contenu)
        uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
        assert uids and all(u.endswith(f"@{HOTE}") for u in uids), (nom, uids)
        assert str(cal["PRODID"]) == f"-//{settings.PORTAIL_NOM}//FR", nom


def test_les_reponses_ics_ont_le_type_calendrier(client):
    for nom, reponse in _calendriers(client).items():
        if hasattr(reponse, "content"):
            assert reponse["Content-Type"] == "text/calendar; charset=utf-8", nom
