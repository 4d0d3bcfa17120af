"""The demo gives the agenda and the dashboard real-looking meetings, in each region's time."""

import datetime

import pytest
from django.utils import timezone

from guichet.fuseaux import fuseau_de
from rendezvous import demo
from rendezvous.models import RendezVous

pytestmark = pytest.mark.django_db


def test_rendez_vous_de_demonstration(territoires_complets, mailoutbox):
    messages = []
    demo.charger(ecrire=messages.append)
    maintenant = timezone.now()
    passes = RendezVous.objects.filter(debut__lt=maintenant)
    a_venir = RendezVous.objects.filter(debut__gte=maintenant)
    assert passes.filter(statut=RendezVous.Statut.HONORE).count() > 100
    assert passes.filter(statut=RendezVous.Statut.ABSENT).exists()
    assert not passes.filter(statut=RendezVous.Statut.CONFIRME).exists()
    assert a_venir.count() > 0
    assert set(a_venir.values_list("statut", flat=True)) == {RendezVous.Statut.CONFIRME}
    # Opening hours are local: Martinique meetings start at 08:00 or 13:30 Martinique time.
    martinique = RendezVous.objects.filter(referent__departements="972").select_related("referent")
    fuseau = fuseau_de(martinique.first().lieu.departement)
    heures = {r.debut.astimezone(fuseau).time() for r in martinique}
    assert heures <= {datetime.time(h, m) for h in range(8, 17) for m in (0, 15, 30, 45)}
    assert datetime.time(8) in heures
    assert mailoutbox == []  # a demo never writes to anyone
    nombre = RendezVous.objects.count()
    demo.charger(ecrire=messages.append)  # idempotent
    assert RendezVous.objects.count() == nombre
