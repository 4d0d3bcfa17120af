"""Login throttling that locks nobody out from elsewhere; no enumeration by signup or reset."""

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core import mail
from django.urls import reverse

from guichet.models import User
from tests.factories import UserFactory

MOT_DE_PASSE = "mot-de-passe-de-test-solide"


def _connexion(client, email, mot_de_passe, adresse):
    return client.post(
        reverse("account_login"), {"login": email, "password": mot_de_passe}, REMOTE_ADDR=adresse
    )


@pytest.mark.django_db
def test_les_echecs_d_un_attaquant_ne_bloquent_pas_le_titulaire(client):
    user = UserFactory()
    for _ in range(6):
        response = _connexion(client, user.email, "mauvais-mot-de-passe", "203.0.113.66")
        assert response.status_code == 200
    # The guessing address is paused, even with the right password...
    bloque = _connexion(client, user.email, MOT_DE_PASSE, "203.0.113.66")
    assert bloque.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    # ...but the account's owner, elsewhere, logs in.
    response = _connexion(client, user.email, MOT_DE_PASSE, "198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_une_adresse_qui_essaie_beaucoup_de_comptes_est_freinee(client):
    comptes = [UserFactory() for _ in range(3)]
    for i in range(21):
        _connexion(client, comptes[i % 3].email, "mauvais-mot-de-passe", "203.0.113.77")
    response = _connexion(client, comptes[0].email, MOT_DE_PASSE, "203.0.113.77")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


class Compteur:
    def __init__(self, monkeypatch):
        self.appels = 0
        hasher = type(get_hasher())
        original = hasher.encode

        def encode(instance, *args, **kwargs):
            self.appels += 1
            return original(instance, *args, **kwargs)

        monkeypatch.setattr(hasher, "encode", encode)


def _inscription(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "un-mot-de-passe-tres-solide",
            "password2": "un-mot-de-passe-tres-solide",
        },
    )


@pytest.mark.django_db
def test_inscription_meme_travail_que_l_adresse_existe_ou_non(client, monkeypatch):
    existant = UserFactory()
    compteur = Compteur(monkeypatch)

    reponse_existant = _inscription(client, existant.email)
    travail_existant, mails_existant = compteur.appels, len(mail.outbox)
    reponse_nouveau = _inscription(client, "nouvelle-personne@exemple.fr")
    travail_nouveau = compteur.appels - travail_existant

    assert User.objects.filter(email="nouvelle-personne@exemple.fr").exists()
    assert travail_existant == travail_nouveau == 1  # one password hash on both paths
    assert mails_existant == 1 and len(mail.outbox) == 2  # one e-mail on both paths
    assert reponse_existant.status_code == reponse_nouveau.status_code == 302
    assert reponse_existant["Location"] == reponse_nouveau["Location"]


@pytest.mark.django_db
def test_reinitialisation_meme_reponse_que_l_adresse_existe_ou_non(client, monkeypatch):
    existant = UserFactory()
    compteur = Compteur(monkeypatch)
    connu = client.post(reverse("account_reset_password"), {"email": existant.email})
    inconnu = client.post(reverse("account_reset_password"), {"email": "personne@exemple.fr"})
    assert connu.status_code == inconnu.status_code == 302
    assert connu["Location"] == inconnu["Location"]
    assert len(mail.outbox) == 2  # a reset link, or "no account with this address"
    assert compteur.appels == 0  # neither path hashes anything
