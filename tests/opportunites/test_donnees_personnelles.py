"""Posts in the account's data download and deleted with the account."""

import json

import pytest
from django.urls import reverse

from guichet import rgpd
from opportunites.models import Opportunite
from tests.opportunites.factories import OpportuniteFactory


@pytest.mark.django_db
def test_mes_annonces_sont_dans_mes_donnees_et_partent_avec_mon_compte(client):
    mienne = OpportuniteFactory(titre="Cabinet à Felletin")
    autre = OpportuniteFactory()
    client.force_login(mienne.auteur)
    donnees = json.loads(client.get(reverse("guichet:mes_donnees")).content)
    assert [o["titre"] for o in donnees["opportunites"]] == ["Cabinet à Felletin"]
    rgpd.supprimer_compte(mienne.auteur)
    assert list(Opportunite.objects.all()) == [autre]
