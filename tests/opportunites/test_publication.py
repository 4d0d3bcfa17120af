"""Posting by signed-in users with a verified address, and moderation in the Espace ARS."""

import pytest
from django.core import mail
from django.urls import reverse

from opportunites.models import Opportunite, Statut
from tests import factories as f
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creuse():
    na = f.RegionFactory(nouvelle_aquitaine=True)
    dep = f.DepartementFactory(code="23", nom="Creuse", region=na)
    return f.CommuneFactory(code="23079", nom="Felletin", departement=dep, codes_postaux=["23500"])


@pytest.fixture
def martinique():
    mq = f.RegionFactory(martinique=True)
    dep = f.DepartementFactory(code="972", nom="Martinique", region=mq)
    return f.CommuneFactory(
        code="97213", nom="Le Lamentin", departement=dep, codes_postaux=["97232"]
    )


def _donnees(**autres):
    return {
        "qualite_auteur": "collectivite",
        "structure": "Mairie de Felletin",
        "nature": "reprise-cession",
        "titre": "Cabinet médical à reprendre",
        "professions": ["medecin-generaliste"],
        "commune": "Felletin",
        "debut": "",
        "fin": "",
        "loyer_mensuel": "350",
        "retrocession": "",
        "salaire_mensuel": "",
        "secretariat": "oui",
        "equipement": "",
        "equipe": "",
        "description": "Cabinet au centre-bourg.<script>alert(1)</script>",
        **autres,
    }


def test_publier_exige_une_adresse_verifiee(client, creuse):
    reponse = client.get(reverse("opportunites:publier"))
    assert reponse.status_code == 302 and "/comptes/" in reponse["Location"]
    non_verifiee = f.UserFactory(email_verifiee=False)
    client.force_login(non_verifiee)
    reponse = client.post(reverse("opportunites:publier"), _donnees(soumettre="1"))
    assert reponse.status_code == 403 and not Opportunite.objects.exists()
    assert "Confirmez votre adresse" in reponse.content.decode()


def test_formulaire_invalide_reaffiche_les_erreurs_sans_rien_enregistrer(client, creuse):
    client.force_login(f.UserFactory(email_verifiee=True))
    reponse = client.post(
        reverse("opportunites:publier"),
        _donnees(
            professions=[],
            commune="Nullepart-sur-Mer",
            structure="",
            nature="remplacement",
            debut="2027-07-10",
            fin="2027-07-01",
            soumettre="1",
        ),
    )
    html = reponse.content.decode()
    assert reponse.status_code == 200 and not Opportunite.objects.exists()
    for message in [
        "Choisissez au moins une profession.",
        "Aucune commune ne correspond",
        "Indiquez le nom de la structure",
        "La date de fin précède",
    ]:
        assert message in html, message


def test_publier_puis_moderer_publier(client, creuse):
    maire = f.UserFactory(email_verifiee=True, email="maire@felletin.example")
    client.force_login(maire)
    reponse = client.post(reverse("opportunites:publier"), _donnees(soumettre="1"))
    assert reponse.status_code == 302
    o = Opportunite.objects.get()
    assert o.auteur == maire and o.statut == Statut.SOUMISE and o.secretariat is True
    assert client.get(o.get_absolute_url()).status_code == 200  # the author sees it
    client.logout()
    assert client.get(o.get_absolute_url()).status_code == 404  # not yet public

    agent = f.UserFactory(agent_ars=True, departements=[creuse.departement])
    client.force_login(agent)
    file = client.get(reverse("opportunites_moderation:file"))
    assert "1 annonce en attente de modération" in file.content.decode()
    assert "Cabinet médical à reprendre" in file.content.decode()
    reponse = client.post(reverse("opportunites_moderation:decider", args=[o.pk, "publier"]))
    assert reponse.status_code == 302
    o.refresh_from_db()
    assert o.statut == Statut.PUBLIEE and o.moderee_par == agent and o.expire_le
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["maire@felletin.example"]
    assert "Votre annonce est publiée" in mail.outbox[0].subject
    client.logout()
    page = client.get(o.get_absolute_url()).content.decode()
    assert "Cabinet au centre-bourg." in page and "<script>alert(1)" not in page


def test_refus_avec_motif_envoye_sans_texte_etranger_dans_le_sujet(client, creuse):
    o = OpportuniteFactory(commune=creuse, soumise=True, titre="ACHETEZ MAINTENANT !!!")
    client.force_login(f.UserFactory(agent_ars=True, regions=[creuse.departement.region]))
    url = reverse("opportunites_moderation:decider", args=[o.pk, "refuser"])
    sans_motif = client.post(url, {"refus-texte": ""})
    assert (
        sans_motif.status_code == 400
        and "Ce message est obligatoire" in sans_motif.content.decode()
    )
    o.refresh_from_db()
    assert o.statut == Statut.SOUMISE and not mail.outbox
    client.post(url, {"refus-texte": "Annonce commerciale sans rapport."})
    o.refresh_from_db()
    assert o.statut == Statut.REFUSEE and o.motif_refus == "Annonce commerciale sans rapport."
    (courriel,) = mail.outbox
    assert "ACHETEZ" not in courriel.subject and "Annonce commerciale" not in courriel.subject
    assert "Annonce commerciale sans rapport." in courriel.body


def test_demander_des_modifications_renvoie_un_brouillon_modifiable(client, creuse):
    o = OpportuniteFactory(commune=creuse, soumise=True)
    client.force_login(f.UserFactory(agent_ars=True, departements=[creuse.departement]))
    client.post(
        reverse("opportunites_moderation:decider", args=[o.pk, "modifications"]),
        {"modifications-texte": "Indiquez le loyer."},
    )
    o.refresh_from_db()
    assert o.statut == Statut.BROUILLON and o.modifications_demandees == "Indiquez le loyer."
    assert "Indiquez le loyer." in mail.outbox[0].body
    client.force_login(o.auteur)
    page = client.get(reverse("opportunites:modifier", args=[o.pk])).content.decode()
    assert "Indiquez le loyer." in page


def test_un_agent_d_un_autre_territoire_ne_voit_ni_ne_modere(client, creuse, martinique):
    o = OpportuniteFactory(commune=creuse, soumise=True, titre="Annonce de la Creuse")
    agent_mq = f.UserFactory(agent_ars=True, departements=[martinique.departement])
    client.force_login(agent_mq)
    assert (
        "Annonce de la Creuse"
        not in client.get(reverse("opportunites_moderation:file")).content.decode()
    )
    assert client.get(reverse("opportunites_moderation:annonce", args=[o.pk])).status_code == 404
    for decision in ["publier", "refuser", "modifications"]:
        reponse = client.post(
            reverse("opportunites_moderation:decider", args=[o.pk, decision]),
            {"refus-texte": "Non", "modifications-texte": "Non"},
        )
        assert reponse.status_code == 404
    o.refresh_from_db()
    assert o.statut == Statut.SOUMISE and not mail.outbox


def test_le_public_n_accede_pas_a_la_moderation(client, creuse):
    o = OpportuniteFactory(commune=creuse, soumise=True)
    client.force_login(o.auteur)
    assert client.get(reverse("opportunites_moderation:file")).status_code == 403
    reponse = client.post(reverse("opportunites_moderation:decider", args=[o.pk, "publier"]))
    assert reponse.status_code == 403


def test_une_transition_interdite_ne_change_rien(client, creuse):
    o = OpportuniteFactory(commune=creuse, publiee=True)
    client.force_login(f.UserFactory(agent_ars=True, departements=[creuse.departement]))
    reponse = client.post(reverse("opportunites_moderation:decider", args=[o.pk, "publier"]))
    assert reponse.status_code == 302
    o.refresh_from_db()
    assert o.statut == Statut.PUBLIEE and not mail.outbox


def test_l_auteur_marque_pourvue_et_personne_d_autre(client, creuse):
    o = OpportuniteFactory(commune=creuse, publiee=True)
    client.force_login(f.UserFactory(email_verifiee=True))
    reponse = client.post(reverse("opportunites:action", args=[o.pk, "pourvue"]))
    assert reponse.status_code == 404
    client.force_login(o.auteur)
    client.post(reverse("opportunites:action", args=[o.pk, "pourvue"]))
    o.refresh_from_db()
    assert o.statut == Statut.POURVUE
    client.post(reverse("opportunites:action", args=[o.pk, "retirer"]))
    o.refresh_from_db()
    assert o.statut == Statut.POURVUE  # forbidden transition: nothing changed


def test_un_brouillon_reste_a_son_auteur(client, creuse):
    o = OpportuniteFactory(commune=creuse, titre="Mon brouillon privé")
    client.force_login(f.UserFactory(agent_ars=True, departements=[creuse.departement]))
    for statut in ["brouillon", "soumise"]:
        page = client.get(reverse("opportunites_moderation:file"), {"statut": statut})
        assert "Mon brouillon privé" not in page.content.decode()
    assert client.get(reverse("opportunites_moderation:annonce", args=[o.pk])).status_code == 404
