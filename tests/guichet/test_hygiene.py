"""Hygiene of every response: sessions after a password change, headers, methods, body size."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

MOT_DE_PASSE = "mot-de-passe-de-test-solide"
NOUVEAU = "un-nouveau-mot-de-passe-tres-solide"


def _connecte(user, adresse):
    client = Client()
    reponse = client.post(
        reverse("account_login"),
        {"login": user.email, "password": MOT_DE_PASSE},
        REMOTE_ADDR=adresse,
    )
    assert reponse.status_code == 302, reponse
    return client


@pytest.mark.django_db
def test_changer_de_mot_de_passe_ferme_les_autres_sessions():
    user = UserFactory()
    ici, ailleurs = _connecte(user, "198.51.100.20"), _connecte(user, "203.0.113.66")
    assert UserSession.objects.filter(user=user).count() == 2
    changement = {"oldpassword": MOT_DE_PASSE, "password1": NOUVEAU, "password2": NOUVEAU}
    reponse = ici.post(reverse("account_change_password"), changement)
    assert reponse.status_code == 302
    # This session goes on; the other one is closed (not only refused at its next request).
    assert ici.get(reverse("guichet:mon_compte")).status_code == 200
    cle_ailleurs = ailleurs.session.session_key
    assert not Session.objects.filter(session_key=cle_ailleurs).exists()
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        ici.session.session_key
    ]
    assert ailleurs.get(reverse("guichet:mon_compte")).status_code == 302


@pytest.mark.django_db
def test_reinitialiser_le_mot_de_passe_ferme_toutes_les_sessions(client):
    import re

    from django.core import mail

    user = UserFactory()
    ouverte = _connecte(user, "203.0.113.66")
    client.post(reverse("account_reset_password"), {"email": user.email})
    url = re.search(r"https?://[^/]+(/comptes/password/reset/key/\S+)", mail.outbox[-1].body)[1]
    reponse = client.get(url)
    url = reponse["Location"] if reponse.status_code == 302 else url
    assert client.post(url, {"password1": NOUVEAU, "password2": NOUVEAU}).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()
    assert not Session.objects.filter(session_key=ouverte.session.session_key).exists()


def _chemins(resolver=None, prefixe=""):
    """A concrete path for every pattern of the URLconf, the administration included."""
    import re

    from django.urls import URLResolver, get_resolver

    chemins = []
    for motif in (resolver or get_resolver()).url_patterns:
        route = prefixe + re.sub(r"\(\?P<\w+>[^)]*\)|<[^>]+>", "1", str(motif.pattern))
        route = route.replace("^", "").replace("$", "").replace("\\", "")
        if isinstance(motif, URLResolver):
            chemins += _chemins(motif, route)
        else:
            chemins.append("/" + route)
    return chemins


CHEMINS = _chemins()


def test_chaque_url_est_couverte():
    assert len(CHEMINS) > 100 and "/" in CHEMINS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "methode", ["TRACE", "TRACK", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "PROPFIND", "FOO"]
)
def test_methodes_inconnues_refusees_partout(client, methode):
    for chemin in CHEMINS:
        reponse = client.generic(methode, chemin)
        assert reponse.status_code == 405, (methode, chemin, reponse.status_code)
        assert reponse["Allow"] == "GET, HEAD, POST"
        assert "Permissions-Policy" in reponse, chemin


@pytest.mark.django_db
def test_permissions_policy_sur_chaque_reponse(client, settings):
    settings.REQUETE_TAILLE_MAX = 10
    reponses = {
        "page": client.get("/"),
        "404": client.get("/n-existe-pas/"),
        "administration": client.get(f"/{settings.ADMIN_URL}"),
        "405": client.generic("TRACE", "/"),
        "413": client.post("/poser-une-question/", {"texte": "x" * 100}),
        "400": client.get("/aides/?q=%00"),
        "santé": client.get("/healthz"),
    }
    statuts = {nom: r.status_code for nom, r in reponses.items()}
    assert statuts["page"] == 200 and statuts["405"] == 405 and statuts["413"] == 413
    for nom, reponse in reponses.items():
        politique = reponse.get("Permissions-Policy", "")
        assert "camera=()" in politique and "geolocation=()" in politique, nom


@pytest.mark.django_db
def test_corps_de_requete_plafonne(client, settings):
    """Above its URL's limit, a declared body is refused before any view reads it."""
    from espace.models import Question

    settings.REQUETE_TAILLE_MAX = 4096
    grand = {"sujet": "x", "texte": "y" * 5000}
    reponse = client.post(reverse("question:poser"), grand)
    assert reponse.status_code == 413 and not Question.objects.exists()
    # The administration takes larger bodies (documents, imports): its own limit applies.
    settings.REQUETE_TAILLE_MAX_GESTION = 8192
    assert client.post(f"/{settings.ADMIN_URL}", grand).status_code != 413
    assert client.post(f"/{settings.ADMIN_URL}", {"y": "z" * 9000}).status_code == 413
    # An unreadable length is a bad request, not a crash.
    reponse = client.generic("POST", "/", b"a=b", CONTENT_LENGTH="abc")
    assert reponse.status_code == 400


def test_les_plafonds_de_production():
    from django.conf import settings

    assert settings.REQUETE_TAILLE_MAX == 2 * 1024 * 1024
    assert settings.REQUETE_TAILLE_MAX_GESTION > settings.IMPORT_DEMOGRAPHIE_TAILLE_MAX
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
