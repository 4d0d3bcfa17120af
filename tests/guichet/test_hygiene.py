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
    reponse = client.post(reverse("account_login"), {"login": user.email, "password": MOT_DE_PASSE},
                          REMOTE_ADDR=adresse)  # fmt: skip
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
