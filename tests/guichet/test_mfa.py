"""Staff MFA: enrolment is enforced before any staff page, login asks for the code."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as compteurs
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory, code_totp

MOT_DE_PASSE = "mot-de-passe-de-test-solide"
ADMIN = f"/{settings.ADMIN_URL}"


def _connexion(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": MOT_DE_PASSE}, follow=False
    )


@pytest.mark.django_db
def test_les_fabriques_enrolent_le_personnel_par_defaut():
    assert Authenticator.objects.filter(
        user=UserFactory(agent_ars=True), type=Authenticator.Type.TOTP
    ).exists()
    assert not Authenticator.objects.filter(user=UserFactory(agent_ars=True, mfa=False)).exists()
    assert not Authenticator.objects.filter(user=UserFactory()).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent_ars", "referent", "admin_national", "superuser"])
def test_personnel_sans_mfa_renvoye_vers_l_enrolement(client, role):
    staff = UserFactory(**{role: True}, mfa=False)
    client.force_login(staff)
    for url in (ADMIN, reverse("guichet:mon_compte"), reverse("aides:liste")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    # Logout stays reachable.
    assert client.post(reverse("account_logout")).status_code == 302


@pytest.mark.django_db
def test_public_non_concerne(client):
    client.force_login(UserFactory())
    assert client.get(reverse("guichet:mon_compte")).status_code == 200


@pytest.mark.django_db
def test_enrolement_puis_acces_a_la_gestion(client):
    staff = UserFactory(agent_ars=True, mfa=False)
    response = _connexion(client, staff)
    assert response.status_code == 302
    assert client.get(ADMIN)["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before any change of authenticators.
    page = client.get(reverse("mfa_activate_totp"))
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    client.post(page["Location"], {"password": MOT_DE_PASSE})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Activer la double authentification" in html
    secret = re.search(r'id="authenticator_secret" name="[^"]*" value="([A-Z2-7]+)"', html) or (
        re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', html)
    )
    secret = secret.group(1)
    mauvais = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert mauvais.status_code == 200  # refused, asked again
    code = format_hotp_value(hotp_value(secret, next(iter(compteurs()))))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_connexion_du_personnel_demande_le_code(client):
    staff = UserFactory(agent_ars=True)
    response = _connexion(client, staff)
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in yet: the admin sends back to the login page.
    assert client.get(ADMIN).status_code == 302
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": code_totp(staff)})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_la_connexion_a_l_administration_passe_par_allauth(client):
    response = client.get(f"{ADMIN}login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_la_reinitialisation_du_mot_de_passe_ne_contourne_pas_la_mfa(client):
    staff = UserFactory(agent_ars=True)
    client.post(reverse("account_reset_password"), {"email": staff.email})
    lien = re.search(r"https?://[^/]+(/comptes/password/reset/key/\S+)", mail.outbox[-1].body)
    url = lien.group(1)
    response = client.get(url)
    if response.status_code == 302:
        url = response["Location"]
    nouveau = "un-nouveau-mot-de-passe-tres-solide"
    response = client.post(url, {"password1": nouveau, "password2": nouveau})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # the reset opens no session
    response = client.post(reverse("account_login"), {"login": staff.email, "password": nouveau})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def _code_mfa(client, code, adresse):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=adresse)


@pytest.mark.django_db
def test_les_mauvais_codes_d_un_attaquant_ne_bloquent_pas_le_titulaire():
    """Wrong codes are counted per (account, address), like wrong passwords."""
    from django.test import Client

    staff = UserFactory(agent_ars=True)
    attaquant, titulaire = Client(), Client()
    attaquant.post(
        reverse("account_login"),
        {"login": staff.email, "password": MOT_DE_PASSE},
        REMOTE_ADDR="203.0.113.66",
    )
    for _ in range(6):
        assert _code_mfa(attaquant, "000000", "203.0.113.66").status_code == 200
    # The guessing address is paused, even with the right code...
    bloque = _code_mfa(attaquant, code_totp(staff), "203.0.113.66")
    assert bloque.status_code in (200, 429) and "_auth_user_id" not in attaquant.session
    assert "Trop de tentatives" in bloque.content.decode()
    # ...but the owner, elsewhere, passes the second step.
    titulaire.post(
        reverse("account_login"),
        {"login": staff.email, "password": MOT_DE_PASSE},
        REMOTE_ADDR="198.51.100.20",
    )
    reponse = _code_mfa(titulaire, code_totp(staff), "198.51.100.20")
    assert reponse.status_code == 302
    assert titulaire.session["_auth_user_id"] == str(staff.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent_ars", "referent", "admin_national", "superuser", None])
@pytest.mark.parametrize("suivante", ["", "/aides/"])
def test_apres_connexion_l_equipe_arrive_dans_l_espace_ars(client, role, suivante):
    """Staff land on the Espace ARS, the public on their account; a ``next`` wins for both."""
    user = UserFactory(**({role: True} if role else {}))
    url = reverse("account_login") + (f"?next={suivante}" if suivante else "")
    response = client.post(url, {"login": user.email, "password": MOT_DE_PASSE})
    if role:
        assert response["Location"].startswith(reverse("mfa_authenticate"))
        response = client.post(reverse("mfa_authenticate"), {"code": code_totp(user)})
    attendue = suivante or reverse("espace:tableau_de_bord" if role else "guichet:mon_compte")
    assert response["Location"] == attendue
