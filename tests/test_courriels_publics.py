"""Every e-mail the public can make the portal send: nothing a stranger wrote rides in it.

The portal writes to whatever address is typed, under the ARS's name. Each e-mail template is
either triggered here with hostile input (a link, "Votre compte est suspendu", a very long
text) or listed in NON_PUBLICS with the reason nobody outside can trigger it; a new template
fails ``test_chaque_courriel_est_couvert`` until it is one or the other.
"""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test.signals import template_rendered
from django.urls import reverse

from espace import services as espace_services
from espace.models import Question
from opportunites import alertes as opportunites_alertes
from opportunites.models import MessageOpportunite
from rendezvous import services as rdv_services
from rendezvous.models import RendezVous
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory
from tests.opportunites.factories import OpportuniteFactory
from tests.rendezvous.factories import LieuFactory, MotifFactory, PlageFactory, ReferentFactory

LIEN = "https://phishing.example/connexion"
ALERTE = "Votre compte est suspendu"
LONG = "Cliquez vite " * 300
HOSTILES = (LIEN, "phishing.example", ALERTE, "suspendu", "Cliquez vite")
MAINTENANT = datetime.datetime(2026, 12, 1, 10, 17, tzinfo=datetime.UTC)
JOUR = datetime.date(2026, 12, 7)
PARIS = ZoneInfo("Europe/Paris")

GABARITS = Path(settings.BASE_DIR) / "templates"
# E-mails nobody outside can make the portal send, and why.
NON_PUBLICS = {
    "emails/compte_inactif": "sent by the nightly purge to the account's own address",
    "account/email/password_changed": "notification to the signed-in account's own address",
    "account/email/password_set": "notification to the signed-in account's own address",
    "account/email/email_changed": "notification to the signed-in account's own address",
    "account/email/email_confirm": "notification to the signed-in account's own address",
    "account/email/email_deleted": "notification to the signed-in account's own address",
    "account/email/email_confirmation": "resent from the signed-in account's e-mail page",
    "mfa/email/totp_activated": "notification to the signed-in staff account",
    "mfa/email/totp_deactivated": "notification to the signed-in staff account",
    "mfa/email/recovery_codes_generated": "notification to the signed-in staff account",
    "mfa/email/webauthn_added": "notification to the signed-in staff account",
    "mfa/email/webauthn_removed": "notification to the signed-in staff account",
    "opportunites/emails/publiee": "an ARS moderator's decision, to the post's own author",
    "opportunites/emails/echeance": "sent by the nightly job to the post's own author",
    "opportunites/emails/refusee": "an ARS moderator's decision (reason written by the ARS), "
    "to the post's own author",
    "opportunites/emails/modifications": "an ARS moderator's request (written by the ARS), to "
    "the post's own author",
}


def _gabarits_de_courriel() -> set[str]:
    return {
        str(p.relative_to(GABARITS)).removesuffix("_subject.txt")
        for p in GABARITS.glob("**/*_subject.txt")
    }


def _textes(message) -> list[str]:
    return [message.body] + [contenu for contenu, _ in getattr(message, "alternatives", [])]


def _verifier(message):
    """No hostile text in the subject or the body; every link leads to the portal."""
    for hostile in HOSTILES:
        assert hostile not in message.subject, (message.subject, hostile)
        for texte in _textes(message):
            assert hostile not in texte, (message.subject, hostile)
    for texte in _textes(message):
        for lien in re.findall(r"https?://[^\s<>\"')]+", texte):
            assert lien.startswith(settings.SITE_URL), (message.subject, lien)
    assert len(message.subject) < 150


@pytest.fixture
def declenches():
    """The e-mail templates rendered during the test (their ``_subject.txt``)."""
    noms: set[str] = set()

    def noter(sender, template, **kwargs):
        nom = template.name or ""
        if nom.endswith("_subject.txt"):
            noms.add(nom.removesuffix("_subject.txt"))

    template_rendered.connect(noter)
    yield noms
    template_rendered.disconnect(noter)


@pytest.fixture
def territoire(db):
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    return dep, CommuneFactory(code="79191", nom="Niort", departement=dep)


def _question(client, commune, capture):
    referent = UserFactory(referent=True, departements=[commune.departement])
    with capture(execute=True):
        reponse = client.post(
            reverse("question:poser"),
            {
                "profession": "medecin-generaliste",
                "situation": "interne",
                "commune": commune.code,
                "sujet": f"{ALERTE} : {LIEN}",
                "message": f"{ALERTE}. {LIEN} {LONG}",
                "courriel": "victime@exemple.fr",
            },
        )
    assert reponse.status_code == 302
    espace_services.question_repondre(
        question=Question.objects.get(), auteur=referent, texte="Voici les aides possibles."
    )


def _rendezvous(client, dep, commune, capture):
    motif = MotifFactory(delai_minimum_heures=0, fenetre_jours=30)
    referent = ReferentFactory(departements=[dep])
    PlageFactory(
        referent=referent,
        motifs=[motif],
        lieu=LieuFactory(departement=dep),
        date_debut=MAINTENANT.date(),
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(12),
    )
    liste = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={JOUR}"
    cle = re.search(r'reserver/\?creneau=([\d]+-[\dT]+)"', client.get(liste).content.decode())[1]
    url = reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={cle}"
    demande = {
        "creneau": cle,
        "courriel": "victime@exemple.fr",
        "message": f"{ALERTE} {LIEN}",
        "commune": commune.code,
    }
    # A name carrying a link or a long text is refused: nothing is booked, nobody is written to.
    for nom in (f"{ALERTE} {LIEN}", "Léa phishing.example", "Léa " + "Durand" * 20, "Léa 06"):
        nonce = re.search(r'name="nonce" value="([^"]+)"', client.get(url).content.decode())[1]
        reponse = client.post(url, {**demande, "nonce": nonce, "nom": nom})
        assert reponse.status_code == 200 and reponse.context["form"].errors.keys() == {"nom"}
    assert not RendezVous.objects.exists() and not mail.outbox
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get(url).content.decode())[1]
    with capture(execute=True):
        reponse = client.post(url, {**demande, "nonce": nonce, "nom": "Léa Durand"})
    assert reponse.status_code == 302
    rdv = RendezVous.objects.get()
    nouveau = datetime.datetime.combine(JOUR, datetime.time(11), PARIS)
    with capture(execute=True):
        rdv = rdv_services.rendezvous_deplacer(rdv=rdv, debut=nouveau, par_usager=True)
    rdv_services.envoyer_rappels(maintenant=nouveau - datetime.timedelta(hours=12))
    with capture(execute=True):
        rdv_services.rendezvous_annuler(rdv=rdv, maintenant=nouveau - datetime.timedelta(days=3))


def _opportunite(client, commune):
    """A reader writes to a post's author, who answers: both e-mails point to the portal."""
    annonce = OpportuniteFactory(publiee=True, commune=commune, auteur__email="auteur@exemple.fr")
    lectrice = UserFactory(email="lectrice@exemple.fr", email_verifiee=True)
    client.force_login(lectrice)
    url = reverse("opportunites:contacter", args=[annonce.pk])
    assert client.post(url, {"texte": f"{ALERTE}. {LIEN} {LONG}"[:2000]}).status_code == 302
    message = MessageOpportunite.objects.get()
    client.force_login(annonce.auteur)
    url = reverse("opportunites:message", args=[message.pk])
    assert client.post(url, {"texte": f"{ALERTE} {LIEN}"}).status_code == 302
    client.logout()


def _alertes(client, commune):
    """A saved search's digest names a post by the portal's words, never by its title."""
    lectrice = UserFactory(email="abonnee@exemple.fr", email_verifiee=True)
    client.force_login(lectrice)
    reponse = client.post(
        reverse("opportunites:alerte_creer"),
        {"parametres": f"commune={commune.code}", "frequence": "quotidienne"},
    )
    assert reponse.status_code == 302
    client.logout()
    with time_machine.travel(MAINTENANT + datetime.timedelta(hours=1), tick=False):
        OpportuniteFactory(
            publiee=True,
            commune=commune,
            titre=f"{ALERTE} {LIEN}",
            description=LONG,
            structure=ALERTE,
        )
    with time_machine.travel(MAINTENANT + datetime.timedelta(days=1), tick=False):
        assert opportunites_alertes.envoyer_alertes()["envoyes"] == 1


def _comptes(client):
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
        )
    client.logout()
    for courriel in ("inscrite@exemple.fr", "inconnue@exemple.fr"):
        client.post(reverse("account_reset_password"), {"email": courriel})


@pytest.mark.django_db
def test_chaque_courriel_public_sans_texte_d_un_inconnu(
    client, territoire, declenches, django_capture_on_commit_callbacks
):
    dep, commune = territoire
    with time_machine.travel(MAINTENANT, tick=False):
        _rendezvous(client, dep, commune, django_capture_on_commit_callbacks)
        _question(client, commune, django_capture_on_commit_callbacks)
        _opportunite(client, commune)
        _alertes(client, commune)
        _comptes(client)
    for message in mail.outbox:
        _verifier(message)
    publics = _gabarits_de_courriel() - set(NON_PUBLICS)
    assert publics <= declenches, f"non déclenchés : {sorted(publics - declenches)}"
    assert len(mail.outbox) >= len(publics)
    print(f"{len(mail.outbox)} courriels de {len(publics)} gabarits publics vérifiés")


def test_chaque_courriel_est_couvert():
    """A template is triggered above or named in NON_PUBLICS (and NON_PUBLICS names real ones)."""
    assert set(NON_PUBLICS) <= _gabarits_de_courriel()
