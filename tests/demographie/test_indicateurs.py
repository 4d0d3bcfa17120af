from decimal import Decimal

import pytest

from demographie import indicateurs, territoires
from tests.demographie.indicateurs_direct import arrondi
from tests.factories import EffectifFactory, PopulationFactory


@pytest.mark.django_db
def test_indicateurs_calcules_a_la_main(effectifs_martinique, martinique):
    profil = indicateurs.profil(
        territoires.trouver("departement", "972"), profession="medecin-generaliste"
    )
    a = profil.selection
    assert profil.annee == 2025 and profil.annees == [2020, 2024, 2025]
    assert a.effectif == 40 and a.masques == 1
    assert (a.population, a.annee_population) == (200_000, 2023)  # nearest year, said so
    assert a.population_autre_annee
    assert arrondi(a.densite) == Decimal("20.0")  # 40 / 200 000 × 100 000
    assert arrondi(a.evolution_1an, 2) == Decimal("11.11")  # (40 − 36) / 36
    assert arrondi(a.evolution_5ans) == Decimal("-20.0")  # (40 − 50) / 50
    assert a.part_60 == 25  # 10 of the 40 whose age is known
    assert a.part_femmes == 25
    assert a.part_liberal == 25 and a.part_salarie == 75 and a.part_mixte == 0
    assert profil.ensemble.effectif == 440


@pytest.mark.django_db
def test_la_region_somme_ses_departements_et_la_france_ses_regions(
    effectifs_martinique, deux_sevres
):
    EffectifFactory(departement=deux_sevres, effectif=60)
    region = indicateurs.profil(
        territoires.trouver("region", "02"), profession="medecin-generaliste"
    )
    assert region.niveau_source == "departement" and region.selection.effectif == 40
    france = indicateurs.profil(territoires.france(), profession="medecin-generaliste")
    assert france.selection.effectif == 100
    assert france.selection.population == 600_000  # the regions' populations
    assert arrondi(france.selection.densite) == Decimal("16.7")
    enfants = france.sous_territoires["medecin-generaliste"]
    assert [e.nom for e, a in enfants if a.lignes] == ["Martinique", "Nouvelle-Aquitaine"]


@pytest.mark.django_db
def test_les_lignes_du_niveau_le_plus_large_l_emportent(effectifs_martinique, martinique):
    EffectifFactory(
        niveau="region",
        departement=None,
        region=martinique.region,
        code_territoire="02",
        effectif=45,
    )
    profil = indicateurs.profil(
        territoires.trouver("region", "02"), profession="medecin-generaliste"
    )
    assert profil.niveau_source == "region" and profil.selection.effectif == 45


@pytest.mark.django_db
def test_tout_masque_est_inconnu_pas_zero(martinique):
    EffectifFactory(departement=martinique, effectif=None)
    profil = indicateurs.profil(
        territoires.trouver("departement", "972"), profession="medecin-generaliste"
    )
    assert profil.selection.effectif is None and profil.selection.masques == 1
    assert profil.selection.densite is None
    assert profil.professions["infirmier"].effectif is None  # no row: unknown too


@pytest.mark.django_db
def test_population_de_la_meme_annee_puis_la_plus_proche(martinique):
    PopulationFactory(annee=2025, departement=martinique, population=250_000)
    assert indicateurs.population_la_plus_proche({2023: 1, 2025: 2}, 2025) == (2, 2025)
    assert indicateurs.population_la_plus_proche({2023: 1, 2027: 2}, 2025) == (1, 2023)
    assert indicateurs.population_la_plus_proche({}, 2025) == (None, None)


@pytest.mark.django_db
def test_sans_donnees(martinique):
    profil = indicateurs.profil(territoires.trouver("departement", "972"), profession="infirmier")
    assert profil.annee is None and not profil.a_des_donnees
