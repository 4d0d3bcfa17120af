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

    # Applicants' personal data: an ARS agent edits content, the referents read the meetings.
    html = client.get(reverse("admin:rendezvous_rendezvous_changelist")).content.decode()
    assert "Rendez-vous local" not in html and "Rendez-vous lointain" not in html
    collegue = UserFactory(referent=True, departements=[deux_sevres])
    client.force_login(collegue)
    html = client.get(reverse("admin:rendezvous_rendezvous_changelist")).content.decode()
    assert "Rendez-vous local" in html and "Rendez-vous lointain" not in html
    client.force_login(agent)
    assert (
        client.get(reverse("admin:rendezvous_rendezvous_change", args=[distant.pk])).status_code
        in {302, 403}  # agents never open the applicants' meetings
    )
    assert (
        client.get(reverse("admin:rendezvous_referent_change", args=[lointain.pk])).status_code
        == 302
    )
    assert (
        client.get(reverse("admin:rendezvous_plageouverture_change", args=[plage.pk])).status_code
        == 302
    )
    assert client.post(
        reverse("admin:rendezvous_plageouverture_delete", args=[plage.pk]), {"post": "yes"}
    ).status_code in {302, 403}
    plage.refresh_from_db()
    html = client.get(reverse("admin:rendezvous_referent_changelist")).content.decode()
    assert f"/referent/{local.pk}/change/" in html
    assert f"/referent/{lointain.pk}/change/" not in html


def test_jours_d_ouverture_en_cases_a_cocher(client):
    from rendezvous.models import PlageOuverture
    from tests.rendezvous.factories import LieuFactory, MotifFactory

    dep = territoire()
    referent = ReferentFactory(departements=[dep])
    motif = MotifFactory()
    lieu = LieuFactory(departement=dep)
    client.force_login(UserFactory(admin_national=True))
    url = reverse("admin:rendezvous_plageouverture_add")
    assert 'type="checkbox" name="jours" value="0"' in client.get(url).content.decode()
    reponse = client.post(
        url,
        {
            "referent": referent.pk,
            "jours": ["0", "2"],
            "heure_debut": "09:00",
            "heure_fin": "12:00",
            "date_debut": "2026-12-01",
            "toutes_les_n_semaines": "1",
            "motifs": [motif.pk],
            "lieu": lieu.pk,
        },
    )
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    assert PlageOuverture.objects.get().jours == [0, 2]
