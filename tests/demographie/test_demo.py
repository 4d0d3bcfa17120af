import pytest

from demographie import demo
from demographie.models import Effectif, IndicateurDispositif, Source


@pytest.mark.django_db
def test_demo_deterministe_idempotente_et_signalee(martinique, deux_sevres, monkeypatch):
    from demographie import pdf
    from guichet.territoires import REGIONS_ARS
    from tests.factories import RegionFactory

    monkeypatch.setattr(pdf, "rendre_pdf", lambda rapport, bulletin=None: b"%PDF-1.7")
    for code in REGIONS_ARS:
        RegionFactory(code=code)
    messages = []
    demo.charger(ecrire=messages.append)
    n = Effectif.objects.count()
    assert n > 0 and Source.objects.get().fictive
    assert Effectif.objects.filter(niveau="commune", code_territoire="97209").exists()
    assert (
        IndicateurDispositif.objects.filter(region="02", indicateur="msp_ouvertes").get().valeur
        == 2
    )
    premiere = list(Effectif.objects.order_by("id").values_list("code_territoire", "effectif")[:50])
    demo.charger(ecrire=messages.append)
    assert Effectif.objects.count() == n
    assert "déjà chargées" in messages[-1]
    # same generator, same figures
    Effectif.objects.all().delete()
    from guichet.models import JeuDeDonnees

    JeuDeDonnees.objects.filter(nom=demo.JEU).delete()
    demo.charger(ecrire=messages.append)
    assert (
        list(Effectif.objects.order_by("id").values_list("code_territoire", "effectif")[:50])
        == premiere
    )
