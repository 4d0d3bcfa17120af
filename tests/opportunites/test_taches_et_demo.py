"""The nightly expiry and the demo posts."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from opportunites import demo
from opportunites.models import Opportunite, Statut
from tests import factories as f
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db


def test_expiration_une_seule_fois_et_seulement_apres_la_date(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC))
    hier = OpportuniteFactory(publiee=True, expire_le=datetime.date(2027, 2, 28))
    aujourd_hui = OpportuniteFactory(publiee=True, expire_le=datetime.date(2027, 3, 1))
    pourvue = OpportuniteFactory(statut=Statut.POURVUE, expire_le=datetime.date(2027, 1, 1))
    sortie = io.StringIO()
    call_command("expirer_opportunites", stdout=sortie)
    assert "1 annonce(s) expirée(s)" in sortie.getvalue()
    for o, attendu in [
        (hier, Statut.EXPIREE),
        (aujourd_hui, Statut.PUBLIEE),
        (pourvue, Statut.POURVUE),
    ]:
        o.refresh_from_db()
        assert o.statut == attendu
    call_command("expirer_opportunites", stdout=sortie)
    assert "0 annonce(s) expirée(s)" in sortie.getvalue()


def test_annonces_de_demonstration_fictives_et_chargees_une_fois():
    na = f.RegionFactory(nouvelle_aquitaine=True)
    mq = f.RegionFactory(martinique=True)
    creuse = f.DepartementFactory(code="23", nom="Creuse", region=na)
    for code, nom, dep in [
        ("23079", "Felletin", creuse),
        ("23096", "Guéret", creuse),
        ("79081", "Chauray", f.DepartementFactory(code="79", region=na)),
        ("97213", "Le Lamentin", f.DepartementFactory(code="972", region=mq)),
    ]:
        f.CommuneFactory(code=code, nom=nom, departement=dep)
    demo.charger(ecrire=lambda m: None)
    demo.charger(ecrire=lambda m: None)
    annonces = Opportunite.objects.all()
    assert annonces.count() == 4
    assert all(o.fictive and o.statut == Statut.PUBLIEE for o in annonces)
    assert all(o.auteur.email.endswith(".invalid") for o in annonces)
    assert all("fictive" in o.description for o in annonces)
    remplacement = annonces.get(nature="remplacement")
    assert remplacement.commune_id == "79081" and remplacement.debut > timezone.localdate()
    natures = set(annonces.values_list("nature", flat=True))
    assert natures == {"reprise-cession", "remplacement", "poste-salarie", "logement"}
