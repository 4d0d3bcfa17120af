import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from guichet.models import User
from tests.factories import CommuneFactory, UserFactory


@pytest.mark.django_db
def test_inscription_par_courriel_avec_verification_obligatoire(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Nouvelle.Interne@Exemple.fr",
            "password1": "un-mot-de-passe-tres-solide",
            "password2": "un-mot-de-passe-tres-solide",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="nouvelle.interne@exemple.fr")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.interne@exemple.fr"]
    lien = re.search(r"https?://\S+/comptes/confirm-email/\S+/", message.body).group(0)

    # Not verified yet: logging in sends the visitor back to verification.
    client.logout()
    login = client.post(
        reverse("account_login"),
        {"login": "nouvelle.interne@exemple.fr", "password": "un-mot-de-passe-tres-solide"},
    )
    assert login.url == reverse("account_email_verification_sent")

    chemin = lien.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + chemin)
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
def test_mot_de_passe_trop_faible_refuse_en_francais(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@exemple.fr", "password1": "azerty", "password2": "azerty"},
    )
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    assert not User.objects.filter(email="a@exemple.fr").exists()


@pytest.mark.django_db
def test_reinitialisation_du_mot_de_passe(client):
    UserFactory(email="medecin@exemple.fr")
    client.post(reverse("account_reset_password"), {"email": "medecin@exemple.fr"})
    assert len(mail.outbox) == 1
    assert "/comptes/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_limite_de_tentatives_de_connexion(client):
    UserFactory(email="cible@exemple.fr")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "cible@exemple.fr", "password": "faux"})
    response = client.post(
        reverse("account_login"), {"login": "cible@exemple.fr", "password": "faux"}
    )
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_connexion_admin_passe_par_allauth(client, settings):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profil_avec_commune_sans_javascript(client):
    commune = CommuneFactory(nom="Melle-sur-Béronne-Test")
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("guichet:mon_compte"),
        {
            "first_name": "Léa",
            "last_name": "Durand",
            "profession": "infirmier",
            "situation": "installe",
            "commune_interet": "melle sur beronne test",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.commune_interet == commune
    assert user.departement_interet == commune.departement
    assert user.profession == "infirmier"


@pytest.mark.django_db
def test_profil_commune_inconnue_rien_n_est_change(client):
    user = UserFactory(profession="pharmacien")
    client.force_login(user)
    response = client.post(
        reverse("guichet:mon_compte"), {"profession": "infirmier", "commune_interet": "Qwxz"}
    )
    assert response.status_code == 200
    assert "Aucune commune ne correspond" in response.content.decode()
    user.refresh_from_db()
    assert user.profession == "pharmacien"


def test_vocabulaire_partage():
    from guichet.vocabulaire import Profession, Situation

    assert Profession.values == [
        "medecin-generaliste",
        "medecin-specialiste",
        "chirurgien-dentiste",
        "sage-femme",
        "infirmier",
        "masseur-kinesitherapeute",
        "pharmacien",
        "orthophoniste",
        "orthoptiste",
        "pedicure-podologue",
        "autre",
    ]
    assert Situation.values == [
        "etudiant",
        "interne",
        "docteur-junior",
        "remplacant",
        "installe",
        "porteur-de-projet",
        "elu",
        "autre",
    ]


@pytest.mark.django_db
def test_confirmer_son_adresse_connecte_et_ramene_a_la_page_demandee(client, settings):
    suite = "/installation/infirmier-liberal/#mon-plan"
    client.post(
        reverse("account_signup") + f"?next={suite}",
        {
            "email": "ide@exemple.fr",
            "password1": "un-mot-de-passe-tres-solide",
            "password2": "un-mot-de-passe-tres-solide",
            "next": suite,
        },
    )
    message = mail.outbox[0]
    assert "example.com" not in message.subject + message.body
    assert settings.PORTAIL_NOM in message.subject
    lien = re.search(r"https?://\S+/comptes/confirm-email/\S+/", message.body).group(0)
    response = client.post("/" + lien.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 302 and response.url == suite
    assert client.get(reverse("guichet:mon_compte")).status_code == 200


def _liens(texte):
    return re.findall(r"https?://[^\s<>\"]+", texte)


@pytest.mark.django_db
def test_courriels_de_compte_en_francais_avec_l_adresse_reelle_du_portail(client, settings):
    """Served on another port (``make run PORT=8123``): every account e-mail names and links
    to that address, whatever the request's host or the Site row; the text is the portal's."""
    settings.SITE_URL = "http://127.0.0.1:8123"
    UserFactory(email="inscrite@exemple.fr")
    mot_de_passe = "un-mot-de-passe-tres-solide"
    for courriel in ("nouvelle@exemple.fr", "inscrite@exemple.fr"):
        client.post(
            reverse("account_signup"),
            {
                "email": courriel,
                "password1": mot_de_passe,
                "password2": mot_de_passe,
            },
            HTTP_HOST="localhost",
        )
    client.logout()
    for courriel in ("inscrite@exemple.fr", "inconnue@exemple.fr"):
        client.post(reverse("account_reset_password"), {"email": courriel})
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert message.subject.startswith(f"[{settings.PORTAIL_NOM}] ")
        assert "Bonjour," in message.body and "127.0.0.1:8123" in message.body
        liens = _liens(message.body)
        assert liens and all(lien.startswith(settings.SITE_URL) for lien in liens)
        for anglais in ("Hello", "You're receiving", "example.com", "testserver", "localhost"):
            assert anglais not in message.body + message.subject, (message.subject, anglais)
    assert "Confirmez votre adresse électronique" in mail.outbox[0].subject


def test_make_run_donne_l_adresse_du_port_a_chaque_etape():
    """The Site row written by migrate and the links both follow PORT under ``make run``."""
    import subprocess

    from django.conf import settings

    sortie = subprocess.run(
        ["make", "-n", "-o", "install", "run", "PORT=8123"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    etapes = [ligne for ligne in sortie.splitlines() if "manage.py" in ligne]
    assert len(etapes) >= 4
    assert all("SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in etape for etape in etapes)


@pytest.mark.django_db
def test_pages_d_inscription_et_de_confirmation_du_portail(client, settings):
    mot_de_passe = "un-mot-de-passe-tres-solide"
    reponse = client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle@exemple.fr",
            "password1": mot_de_passe,
            "password2": mot_de_passe,
        },
        follow=True,
    )
    envoyee = reponse.content.decode()
    assert f"Un courriel de {settings.PORTAIL_NOM} vient de partir" in envoyee
    lien = _liens(mail.outbox[0].body)[0]
    chemin = "/" + lien.split("://", 1)[1].split("/", 1)[1]
    confirmer = client.get(chemin).content.decode()
    assert "<strong>nouvelle@exemple.fr</strong> est bien votre adresse" in confirmer
    assert "Confirmer mon adresse" in confirmer
    perime = client.get(reverse("account_confirm_email", args=["cle-inconnue"])).content.decode()
    assert "Ce lien de confirmation a expiré" in perime
    for page in (envoyee, confirmer, perime):  # allauth's stock prose, English or translated
        for stock in (
            "We have sent",
            "Nous vous avons envoyé",
            "Please confirm",
            "Veuillez confirmer",
            "issue a new",
            "user_display",
        ):
            assert stock not in page
