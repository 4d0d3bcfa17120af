"""The referents' admin is scoped: another territory's referent, hours and meetings are hidden."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.rendezvous.factories import (
    PlageFactory,
    ReferentFactory,
    RendezVousFactory,
    martinique,
    territoire,
)

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def test_agent_ne_voit_que_les_referents_et_rendez_vous_de_son_territoire(client):
    deux_sevres = territoire()
    mq = martinique()
    local = ReferentFactory(departements=[deux_sevres])
    lointain = ReferentFactory(departements=[mq])
    RendezVousFactory(referent=local, nom="Rendez-vous local")
    distant = RendezVousFactory(referent=lointain, nom="Rendez-vous lointain")
    plage = PlageFactory(referent=lointain)
    agent = UserFactory(agent_ars=True, regions=[deux_sevres.region])
    client.force_login(agent)

    html = client.get(reverse("admin:installation_rendezvous_changelist")).content.decode()
    assert "Rendez-vous local" in html and "Rendez-vous lointain" not in html
    assert (
        client.get(reverse("admin:installation_rendezvous_change", args=[distant.pk])).status_code
        == 302
    )
    assert client.get(reverse("admin:installation_referent_change", args=[lointain.pk])
                      ).status_code == 302  # fmt: skip
    assert client.get(reverse("admin:installation_plageouverture_change", args=[plage.pk])
                      ).status_code == 302  # fmt: skip
    assert client.post(reverse("admin:installation_plageouverture_delete", args=[plage.pk]),
                       {"post": "yes"}).status_code in {302, 403}  # fmt: skip
    plage.refresh_from_db()
    html = client.get(reverse("admin:installation_referent_changelist")).content.decode()
    assert f"/referent/{local.pk}/change/" in html
    assert f"/referent/{lointain.pk}/change/" not in html
