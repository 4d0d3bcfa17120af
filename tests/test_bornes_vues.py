"""Every parser of a path or query value, through its views (issue 28): whatever the value
(dates at year 1 and 9999, integers at 2³¹ and 2⁶³, negative, empty, NUL, very long,
non-UTF-8), a page, a redirect, a 400 or a 404 — never a 500, and nothing written.

``/rendez-vous/79/…/?semaine=9999-12-31`` and ``…/reserver/?creneau=1-00010101T0000`` answered
500 (``OverflowError: date value out of range``) before.
"""

import datetime
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from espace.models import Question
from rendezvous.models import RendezVous
from tests.factories import CommuneFactory, UserFactory
from tests.proprietes import cle_utc, dates, entiers, moments, valeurs
from tests.rendezvous.factories import LieuFactory, MotifFactory, PlageFactory, ReferentFactory
from tests.rendezvous.factories import territoire as departement_79

VUES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NI_500 = {200, 302, 400, 404}


@pytest.fixture
def monde(db, pages_editoriales, settings):
    # Without the NUL/UTF-8 safety net: each parser must stand on its own.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequeteHostile" not in m]
    settings.ACCOUNT_RATE_LIMITS = False
    dep = departement_79()
    CommuneFactory(code="79191", nom="Niort", departement=dep)
    motif = MotifFactory(slug="premier-entretien-installation")
    referent = ReferentFactory(departements=[dep])
    PlageFactory(
        referent=referent,
        motifs=[motif],
        lieu=LieuFactory(departement=dep),
        date_debut=timezone.localdate(),
    )
    anonyme = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(referent.utilisateur)
    superuser = Client(raise_request_exception=False)
    superuser.force_login(UserFactory(superuser=True))
    return {
        "dep": dep,
        "motif": motif,
        "referent": referent,
        "anonyme": anonyme,
        "staff": staff,
        "superuser": superuser,
    }


def _q(valeur: str) -> str:
    return quote(valeur, safe="", errors="surrogateescape")


def _rien_d_ecrit():
    assert not RendezVous.objects.exists() and not Question.objects.exists()


CRENEAUX = "/rendez-vous/79/premier-entretien-installation/"


@pytest.mark.parametrize(
    "url", [f"{CRENEAUX}?semaine=9999-12-31", f"{CRENEAUX}reserver/?creneau=1-00010101T0000"]
)
def test_les_deux_500_du_ticket(monde, url):
    assert monde["anonyme"].get(url).status_code in (200, 302, 404)


@VUES
@given(st.one_of(valeurs, dates.map(datetime.date.isoformat)))
def test_semaine_quelconque(monde, valeur):
    url = reverse("rendezvous:creneaux", args=["79", "premier-entretien-installation"])
    assert monde["anonyme"].get(f"{url}?semaine={_q(valeur)}").status_code == 200


@VUES
@given(st.one_of(valeurs, st.tuples(entiers, moments).map(lambda t: f"{t[0]}-{cle_utc(t[1])}")))
def test_creneau_quelconque(monde, valeur):
    """GET shows the form or sends back to the list; POST (any form) never books a bad key."""
    url = reverse("rendezvous:reserver", args=["79", "premier-entretien-installation"])
    assert monde["anonyme"].get(f"{url}?creneau={_q(valeur)}").status_code in NI_500
    # A form field as Django decodes it (invalid UTF-8 replaced); PostgreSQL holds no NUL.
    postee = valeur.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    reponse = monde["anonyme"].post(url, {"creneau": postee})
    assert reponse.status_code in NI_500
    _rien_d_ecrit()


@VUES
@given(st.one_of(valeurs, dates.map(datetime.date.isoformat)))
def test_jour_et_semaine_de_l_agenda(monde, valeur):
    for nom in ("rendezvous:agenda_jour", "rendezvous:agenda_semaine"):
        url = reverse(nom, args=[datetime.date(2026, 1, 1)]).replace("2026-01-01", _q(valeur))
        assert monde["staff"].get(url).status_code in NI_500


@VUES
@given(st.one_of(valeurs, entiers.map(str)))
def test_referent_de_l_agenda(monde, valeur):
    url = reverse("rendezvous:agenda")
    for client in ("staff", "superuser"):
        assert monde[client].get(f"{url}?referent={_q(valeur)}").status_code in NI_500


@VUES
@given(st.one_of(valeurs, entiers.map(str)))
def test_annee_du_tableau_de_bord(monde, valeur):
    url = reverse("espace:tableau_de_bord")
    assert (
        monde["superuser"].get(f"{url}?annee={_q(valeur)}&perimetre={_q(valeur)}").status_code
        == 200
    )


@VUES
@given(st.one_of(valeurs, entiers.map(str)), valeurs)
def test_annee_et_profession_de_la_demographie(monde, annee, profession):
    for url in ("/demographie/france/", "/demographie/departement/79/", "/demographie/france.csv"):
        assert (
            monde["anonyme"].get(f"{url}?annee={_q(annee)}&profession={_q(profession)}").status_code
            == 200
        )


@VUES
@given(st.integers(min_value=0, max_value=10**25))
def test_annee_du_bulletin(monde, annee):
    """A year in the path (Django's int converter: any length of digits), also for staff,
    whose first request renders an edition."""
    url = f"/demographie/bulletin/{annee}/departement/79.pdf"
    for client in ("anonyme", "superuser"):
        assert monde[client].get(url).status_code in NI_500


@VUES
@given(st.one_of(valeurs, entiers.map(str)))
def test_pagination(monde, page):
    for client, nom in [
        ("anonyme", "aides:liste"),
        ("anonyme", "installation:documents"),
        ("superuser", "espace:boite"),
        ("superuser", "espace:accompagnements"),
    ]:
        assert monde[client].get(f"{reverse(nom)}?page={_q(page)}").status_code == 200


@VUES
@given(st.integers(min_value=0, max_value=10**25))
def test_identifiants_dans_le_chemin(monde, pk):
    for nom in (
        "installation:plan",
        "espace:question",
        "espace:accompagnement",
        "agenda:evenement",
    ):
        try:
            url = reverse(nom, args=[pk])
        except Exception:  # noqa: BLE001 (a name that is not in this URLconf)
            continue
        assert monde["superuser"].get(url).status_code in NI_500
