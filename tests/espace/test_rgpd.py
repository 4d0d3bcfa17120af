"""Account page rights (access, erasure) and the retention purge."""

import datetime
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from espace import rgpd
from espace.models import Accompagnement, AvertissementInactivite, Question
from guichet.models import User
from installation.models import Plan
from tests.espace.factories import AccompagnementFactory, QuestionFactory
from tests.factories import UserFactory
from tests.installation.factories import PlanFactory
from tests.rendezvous.factories import RendezVousFactory

MAINTENANT = timezone.now()


@pytest.fixture
def personne(territoires):
    user = UserFactory(email="lea@exemple.fr", first_name="Léa", profession="infirmier")
    QuestionFactory(
        commune=territoires["commune_a"],
        utilisateur=user,
        courriel=user.email,
        sujet="Mon installation",
    )
    PlanFactory(utilisateur=user, commune=territoires["commune_a"])
    futur = RendezVousFactory(
        utilisateur=user,
        courriel=user.email,
        nom="Léa Durand",
        debut=MAINTENANT + datetime.timedelta(days=10),
    )
    AccompagnementFactory(commune_cible=territoires["commune_a"], utilisateur=user)
    return user, futur


def test_telecharger_mes_donnees(client, personne):
    user, _ = personne
    client.force_login(user)
    reponse = client.get(reverse("guichet:mes_donnees"))
    assert reponse["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    donnees = json.loads(reponse.content)
    assert donnees["profil"]["adresse_electronique"] == "lea@exemple.fr"
    assert donnees["questions"][0]["sujet"] == "Mon installation"
    assert donnees["questions"][0]["messages"][0]["texte"]
    assert donnees["rendezvous"][0]["nom"] == "Léa Durand"
    assert len(donnees["plans_installation"]) == 1
    assert donnees["accompagnements"][0]["profession"] == "medecin-generaliste"


def test_supprimer_mon_compte(client, personne):
    user, futur = personne
    client.force_login(user)
    mauvais = client.post(reverse("guichet:supprimer_mon_compte"), {"mot_de_passe": "non"})
    assert mauvais.status_code == 200 and User.objects.filter(pk=user.pk).exists()
    reponse = client.post(
        reverse("guichet:supprimer_mon_compte"), {"mot_de_passe": "mot-de-passe-de-test-solide"}
    )
    assert reponse.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    question = Question.objects.get()
    assert question.courriel == "anonyme@invalid" and question.message == ""
    assert question.anonymisee_le and question.messages.get().texte == rgpd.ANONYME
    futur.refresh_from_db()
    assert futur.statut == "annule-usager" and futur.nom == rgpd.ANONYME
    assert "lea" not in futur.courriel
    assert not Plan.objects.exists()
    accompagnement = Accompagnement.objects.get()
    assert accompagnement.utilisateur is None  # the team's record stays, unlinked
    assert "_auth_user_id" not in client.session


def test_un_agent_ne_se_supprime_pas_lui_meme(client, agent_a):
    client.force_login(agent_a)
    client.post(
        reverse("guichet:supprimer_mon_compte"), {"mot_de_passe": "mot-de-passe-de-test-solide"}
    )
    assert User.objects.filter(pk=agent_a.pk).exists()


def _purger(maintenant):
    return rgpd.purger(
        maintenant=maintenant,
        envoyer_avertissement=__import__("espace.services").services.avertir_inactivite,
    )


def test_purge_comptes_inactifs_avertis_puis_supprimes(db, settings):
    settings.RGPD_CONSERVATION = {
        **settings.RGPD_CONSERVATION,
        "comptes_inactifs_mois": 24,
        "comptes_preavis_jours": 30,
    }
    vieux = MAINTENANT - datetime.timedelta(days=30 * 24 - 10)
    inactif = UserFactory(email="inactif@exemple.fr", last_login=vieux)
    actif = UserFactory(last_login=MAINTENANT)
    agent = UserFactory(agent_ars=True, last_login=vieux)
    bilan = _purger(MAINTENANT)
    assert bilan.comptes_avertis == 1 and bilan.comptes_supprimes == 0
    assert [m.to for m in mail.outbox] == [["inactif@exemple.fr"]]
    assert "sera supprimé" in mail.outbox[0].subject
    assert _purger(MAINTENANT).comptes_avertis == 0  # warned once
    bilan = _purger(MAINTENANT + datetime.timedelta(days=31))
    assert bilan.comptes_supprimes == 1
    assert not User.objects.filter(pk=inactif.pk).exists()
    assert User.objects.filter(pk__in=[actif.pk, agent.pk]).count() == 2


def test_se_reconnecter_annule_l_avertissement(db):
    vieux = MAINTENANT - datetime.timedelta(days=30 * 24)
    user = UserFactory(last_login=vieux)
    _purger(MAINTENANT)
    user.last_login = MAINTENANT + datetime.timedelta(days=1)
    user.save()
    bilan = _purger(MAINTENANT + datetime.timedelta(days=40))
    assert bilan.comptes_supprimes == 0 and User.objects.filter(pk=user.pk).exists()
    assert not AvertissementInactivite.objects.exists()


def test_purge_idempotente_questions_rendezvous_accompagnements(territoires, settings):
    ancienne = MAINTENANT - datetime.timedelta(days=30 * 25)
    vieille = QuestionFactory(commune=territoires["commune_a"], recue_le=ancienne)
    recente = QuestionFactory(commune=territoires["commune_a"])
    RendezVousFactory(debut=MAINTENANT - datetime.timedelta(days=400), nom="Ancien")
    clos = AccompagnementFactory(commune_cible=territoires["commune_a"], etape="abandonne")
    en_cours = AccompagnementFactory(commune_cible=territoires["commune_a"])
    Accompagnement.objects.filter(pk__in=[clos.pk, en_cours.pk]).update(
        modifie_le=MAINTENANT - datetime.timedelta(days=30 * 37)
    )
    bilan = _purger(MAINTENANT)
    assert (
        bilan.questions_anonymisees,
        bilan.rendezvous_anonymises,
        bilan.accompagnements_anonymises,
    ) == (1, 1, 1)
    vieille.refresh_from_db()
    recente.refresh_from_db()
    assert vieille.anonymisee_le and vieille.courriel == "anonyme@invalid"
    assert recente.anonymisee_le is None
    clos.refresh_from_db()
    en_cours.refresh_from_db()
    assert clos.nom == rgpd.ANONYME and en_cours.nom != rgpd.ANONYME
    again = _purger(MAINTENANT)
    assert str(again).startswith(
        "0 compte(s) averti(s), 0 supprimé(s), 0 question(s), 0 rendez-vous"
    )


def test_commande_et_verrou(db, capsys):
    call_command("purger_donnees")
    assert "Purge terminée" in capsys.readouterr().out
    from guichet.taches import cle_du_verrou

    VERROU = cle_du_verrou("guichet.tache.purger_donnees")  # noqa: N806
    autre = connections.create_connection("default")  # another instance is purging
    try:
        with autre.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [VERROU])
        call_command("purger_donnees")
        assert "déjà en cours" in capsys.readouterr().out
    finally:
        with autre.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [VERROU])
        autre.close()
    call_command("purger_donnees")
    assert "Purge terminée" in capsys.readouterr().out


def test_page_donnees_personnelles_suit_les_reglages(client, pages_editoriales, settings):
    settings.RGPD_CONSERVATION = {
        **settings.RGPD_CONSERVATION,
        "questions_mois": 17,
        "rendezvous_mois": 9,
    }
    page = client.get(reverse("guichet:donnees_personnelles")).content.decode()
    assert "17 mois après le dernier échange" in page
    assert "9 mois après le rendez-vous" in page
    assert "mission d&#x27;intérêt public" in page or "mission d'intérêt public" in page
    assert "CNIL" in page
