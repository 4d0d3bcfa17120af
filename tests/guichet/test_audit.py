"""The audit trail: who changed what, when, from where; personal fields masked."""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from guichet.audit import MASQUE, NON_TRACES, acteur_commande
from guichet.models import PageEditoriale, User
from tests.aides.factories import AideFactory
from tests.factories import UserFactory
from tests.rendezvous.factories import RendezVousFactory

APPS_DU_PORTAIL = ["guichet", "aides", "installation", "rendezvous", "demographie", "espace",
                   "opportunites"]  # fmt: skip
ADMIN = f"/{settings.ADMIN_URL}"


def test_chaque_modele_est_trace_ou_exempte_avec_sa_raison():
    oublis = []
    for app in APPS_DU_PORTAIL:
        try:
            config = apps.get_app_config(app)
        except LookupError:
            continue
        for modele in config.get_models():
            if not auditlog.contains(modele) and modele._meta.label_lower not in NON_TRACES:
                oublis.append(modele._meta.label)
    assert oublis == [], "modèles ni tracés ni exemptés (déclarez-les dans <app>/audit.py)"


@pytest.mark.django_db
def test_une_modification_dans_l_administration_est_tracee_avec_son_auteur(client):
    national = UserFactory(admin_national=True)
    page = PageEditoriale.objects.get(cle="cookies")
    page.titre = "Ancien titre"
    page.save()
    client.force_login(national)
    response = client.post(
        reverse("admin:guichet_pageeditoriale_change", args=[page.pk]),
        {
            "cle": "cookies",
            "titre": "Nouveau titre",
            "chapo": "",
            "contenu": "Texte",
            "statut_publication": "publiee",
        },
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 302
    entree = LogEntry.objects.get_for_object(page).latest("timestamp")
    assert entree.changes["titre"] == ["Ancien titre", "Nouveau titre"]
    assert entree.actor == national
    assert entree.remote_addr == "203.0.113.7"  # X-Forwarded-For is not trusted without proxies


@pytest.mark.django_db
def test_les_donnees_personnelles_sont_masquees():
    rdv = RendezVousFactory(nom="Camille Dupont", courriel="camille@exemple.fr")
    rdv.nom = "Camille Durand"
    rdv.save()
    entrees = LogEntry.objects.get_for_object(rdv)
    creation = entrees.get(action=LogEntry.Action.CREATE)
    assert creation.changes["courriel"][1] == MASQUE
    modification = entrees.get(action=LogEntry.Action.UPDATE)
    assert modification.changes["nom"] == [MASQUE, MASQUE]
    assert "Dupont" not in str(creation.changes) + str(modification.changes)
    user = UserFactory(email="secret@exemple.fr")
    textes = str([e.changes for e in LogEntry.objects.get_for_object(user)])
    assert "secret@exemple.fr" not in textes and "pbkdf2" not in textes
    # Whatever the hasher (the tests use MD5): neither its name, the salt nor the hash is kept.
    assert all(partie not in textes for partie in user.password.split("$"))


@pytest.mark.django_db
def test_le_journal_est_reserve_aux_administrateurs_nationaux(client):
    AideFactory()
    url = reverse("admin:auditlog_logentry_changelist")
    client.force_login(UserFactory(agent_ars=True))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(admin_national=True))
    response = client.get(url)
    assert response.status_code == 200
    assert "Aide numéro" in response.content.decode()


@pytest.mark.django_db
def test_une_commande_signe_ses_modifications():
    with acteur_commande("import_test"):
        page = PageEditoriale.objects.get(cle="accueil")
        page.titre = "Modifiée par commande"
        page.save()
    entree = LogEntry.objects.get_for_object(page).latest("timestamp")
    assert entree.actor is None
    assert entree.actor_email == "système (import_test)"
    assert entree.cid == "commande:import_test"


@pytest.mark.django_db
def test_purge_du_journal_selon_la_conservation(settings):
    import datetime

    from django.utils import timezone

    AideFactory()
    LogEntry.objects.update(timestamp=timezone.now() - datetime.timedelta(days=400))
    recente = AideFactory()
    settings.RGPD_CONSERVATION = {**settings.RGPD_CONSERVATION, "journal_mois": 12}
    call_command("purger_journal")
    assert list(LogEntry.objects.values_list("object_pk", flat=True)) == [str(recente.pk)]
    assert User.objects.count() >= 0
