"""Contact relayed through the portal: no address shown until the author answers."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from guichet import rgpd
from opportunites.models import MessageOpportunite
from tests import factories as f
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def annonce():
    return OpportuniteFactory(
        publiee=True, titre="Cabinet à Felletin", auteur__email="maire@felletin.example"
    )


@pytest.fixture
def lectrice():
    return f.UserFactory(email="docteure@exemple.fr", first_name="Léa")


def test_message_relaye_sans_adresse_puis_reponse_avec_adresse(client, annonce, lectrice):
    client.force_login(lectrice)
    url = reverse("opportunites:contacter", args=[annonce.pk])
    reponse = client.post(url, {"texte": "Bonjour, je suis généraliste. ÉCRIVEZ-MOI"})
    assert reponse.status_code == 302
    (courriel,) = mail.outbox
    assert courriel.to == ["maire@felletin.example"]
    # the e-mail quotes nothing the reader wrote: it points to the message on the portal
    assert "ÉCRIVEZ-MOI" not in courriel.body and "ÉCRIVEZ-MOI" not in courriel.subject
    assert "Cabinet à Felletin" not in courriel.subject  # no user-written text in subjects
    assert "docteure@exemple.fr" not in courriel.body + str(courriel.message())
    assert not courriel.reply_to
    message = MessageOpportunite.objects.get()
    assert reverse("opportunites:message", args=[message.pk]) in courriel.body

    client.force_login(annonce.auteur)
    assert (
        "docteure@exemple.fr"
        not in client.get(reverse("opportunites:message", args=[message.pk])).content.decode()
    )
    client.post(reverse("opportunites:message", args=[message.pk]), {"texte": "Appelez-moi."})
    reponse_courriel = mail.outbox[1]
    assert reponse_courriel.to == ["docteure@exemple.fr"]
    assert reponse_courriel.reply_to == ["maire@felletin.example"]
    assert "Appelez-moi." not in reponse_courriel.body
    assert reverse("opportunites:message", args=[message.pk]) in reponse_courriel.body
    page = client.get(reverse("opportunites:message", args=[message.pk])).content.decode()
    assert "docteure@exemple.fr" in page  # revealed once the author answered
    # one answer only
    client.post(reverse("opportunites:message", args=[message.pk]), {"texte": "Encore"})
    assert len(mail.outbox) == 2
    # the reader reads the answer and the author's address on the portal
    client.force_login(lectrice)
    page = client.get(reverse("opportunites:message", args=[message.pk])).content.decode()
    assert "Appelez-moi." in page and "maire@felletin.example" in page


def test_seul_l_auteur_lit_et_repond(client, annonce, lectrice):
    message = MessageOpportunite.objects.create(
        opportunite=annonce, expediteur=lectrice, texte="Bonjour"
    )
    url = reverse("opportunites:message", args=[message.pk])
    for intrus in [f.UserFactory(), f.UserFactory(agent_ars=True)]:
        client.force_login(intrus)
        assert client.get(url).status_code == 404
        assert client.post(url, {"texte": "Moi"}).status_code == 404
    # the sender reads their own message but cannot answer it in the author's place
    client.force_login(lectrice)
    assert "Bonjour" in client.get(url).content.decode()
    client.post(url, {"texte": "Moi"})
    message.refresh_from_db()
    assert not message.repondu_le and not mail.outbox


def test_pas_de_message_a_une_annonce_non_publiee_ni_a_soi_meme(client, lectrice):
    brouillon = OpportuniteFactory()
    client.force_login(lectrice)
    reponse = client.post(reverse("opportunites:contacter", args=[brouillon.pk]), {"texte": "Hé"})
    assert reponse.status_code == 404
    publiee = OpportuniteFactory(publiee=True)
    client.force_login(publiee.auteur)
    reponse = client.post(reverse("opportunites:contacter", args=[publiee.pk]), {"texte": "Hé"})
    assert reponse.status_code == 200 and "votre propre annonce" in reponse.content.decode()
    assert not MessageOpportunite.objects.exists() and not mail.outbox


def test_limite_de_messages_par_compte(client, annonce, lectrice, settings):
    settings.OPPORTUNITE_CONTACT_LIMITE_COMPTE = "2/h"
    client.force_login(lectrice)
    url = reverse("opportunites:contacter", args=[annonce.pk])
    codes = [client.post(url, {"texte": f"Message {i}"}).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert MessageOpportunite.objects.count() == 2 and len(mail.outbox) == 2


def test_message_vide_reaffiche_le_formulaire(client, annonce, lectrice):
    client.force_login(lectrice)
    reponse = client.post(reverse("opportunites:contacter", args=[annonce.pk]), {"texte": ""})
    assert reponse.status_code == 200 and "Écrivez votre message." in reponse.content.decode()
    assert not MessageOpportunite.objects.exists()


def test_messages_dans_mes_donnees_et_effaces_avec_le_compte(client, annonce, lectrice):
    MessageOpportunite.objects.create(opportunite=annonce, expediteur=lectrice, texte="Bonjour")
    client.force_login(lectrice)
    donnees = json.loads(client.get(reverse("guichet:mes_donnees")).content)
    assert donnees["messages_opportunites"][0]["texte"] == "Bonjour"
    rgpd.supprimer_compte(lectrice)
    assert not MessageOpportunite.objects.exists()
