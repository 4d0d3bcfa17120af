"""The plan hands its commune to the booking in the link (commune=<INSEE code>): installation
and rendezvous know nothing of each other, and the code reads back as the same commune."""

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory
from tests.installation.factories import PlanFactory
from tests.rendezvous.factories import ReferentFactory, martinique, territoire

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "departement, code, nom, postal, piege",
    [
        # Le Lamentin's INSEE code is Gros-Morne's postal code: read back as INSEE, never postal.
        (martinique, "97213", "Le Lamentin", "97232", ("97212", "Gros-Morne", "97213")),
        (territoire, "79191", "Niort", "79000", ("79049", "Chauray", "79180")),
    ],
)
def test_le_plan_ouvre_la_reservation_dans_sa_commune(client, departement, code, nom, postal,
                                                      piege):  # fmt: skip
    dep = departement()
    commune = CommuneFactory(code=code, nom=nom, departement=dep, codes_postaux=[postal])
    CommuneFactory(code=piege[0], nom=piege[1], departement=dep, codes_postaux=[piege[2]])
    ReferentFactory(departements=[dep])
    plan = PlanFactory(commune=commune)
    client.force_login(plan.utilisateur)
    lien = f"{reverse('rendezvous:accueil')}?commune={code}"
    assert f'href="{lien}"' in client.get(plan.get_absolute_url()).content.decode()
    reponse = client.get(lien)
    assert reponse.status_code == 302
    assert reponse.url == reverse("rendezvous:motifs", args=[dep.code])
    formulaire = client.get(reverse("rendezvous:accueil")).content.decode()
    assert nom in formulaire and piege[1] not in formulaire
