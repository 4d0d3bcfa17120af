"""The bench's posts and saved searches (issue 30) are what the portal itself would hold: posts
online in real communes, saved searches exactly as the list's form saves them."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from benchmarks import annonces
from guichet.vocabulaire import Profession
from opportunites import alertes
from opportunites.models import Alerte, Nature, Opportunite, SujetAlerte
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_annonces_publiees_reparties_et_idempotentes(territoires_complets):
    maintenant = timezone.now()
    assert annonces.creer_annonces(60, graine="t", maintenant=maintenant) == 60
    assert annonces.creer_annonces(60, graine="t", maintenant=maintenant) == 0  # idempotent
    posts = list(Opportunite.objects.select_related("commune"))
    assert len(posts) == 60 and all(o.en_ligne and o.fictive for o in posts)
    debut = maintenant - datetime.timedelta(days=annonces.JOURS)
    assert all(debut <= o.publiee_le <= maintenant for o in posts)
    assert all(set(o.professions) <= set(Profession.values) and o.professions for o in posts)
    for o in posts:
        o.full_clean()  # every field as the form would accept it (dates, amounts, choices)
    # Spread over the country (the real communes), the types and the authors.
    assert len({o.commune_id for o in posts}) >= 50
    assert len({o.commune.departement_id for o in posts}) >= 30
    assert len({o.nature for o in posts}) == len(Nature.values)
    assert 1 < len({o.auteur_id for o in posts}) < 60


def test_alertes_enregistrees_comme_le_formulaire_de_la_liste(territoires_complets):
    assert annonces.creer_alertes(40, graine="t") == 40
    assert annonces.creer_alertes(40, graine="t") == 0
    sauvees = list(Alerte.objects.select_related("commune").order_by("pk"))
    assert len({a.utilisateur_id for a in sauvees}) < len(sauvees)  # some save several
    assert {a.sujet for a in sauvees} == set(SujetAlerte.values)
    for a in sauvees:
        if a.sujet == SujetAlerte.AIDES_ZONAGE:
            assert a.commune and a.profession and a.zonage_vu == {a.profession: []}
            continue
        # The same search saved through the portal gives the same criteria and commune.
        autre = UserFactory()
        refaite = alertes.alerte_enregistrer_recherche(
            utilisateur=autre, requete=urlencode(a.parametres), frequence=a.frequence
        )
        assert (refaite.parametres, refaite.commune) == (a.parametres, a.commune)
        assert a.prochain_envoi > timezone.now()


def test_une_base_construite_avant_les_annonces_ne_recoit_que_cette_etape(
    territoires_complets, monkeypatch
):
    import hashlib
    import io

    from django.core.management import call_command
    from django.db import connection

    from benchmarks.management.commands import bench_donnees
    from guichet.models import JeuDeDonnees
    from tests.aides.factories import AideFactory

    monkeypatch.setitem(connection.settings_dict, "NAME", "guichet_bench_essai")
    monkeypatch.setitem(bench_donnees.ANNONCES, "rapide", {"annonces": 30, "alertes": 10})
    AideFactory()
    # The marker a database built before this step carries (same formula, same parameters).
    p = bench_donnees.ECHELLES["rapide"]
    empreinte = hashlib.sha256(f"{bench_donnees.VERSION}-{sorted(p.items())}".encode())
    JeuDeDonnees.objects.marquer_charge("bench", empreinte.hexdigest())
    sortie = io.StringIO()
    call_command(bench_donnees.Command(), "--echelle", "rapide", stdout=sortie)
    assert sortie.getvalue().startswith("30 annonces publiées, 10 alertes ajoutées")
    assert "aides ajoutées" not in sortie.getvalue()  # the built steps are not run again
    call_command(bench_donnees.Command(), "--echelle", "rapide", stdout=sortie)
    assert sortie.getvalue().endswith("déjà chargé.\n")
    assert (Opportunite.objects.count(), Alerte.objects.count()) == (30, 10)
