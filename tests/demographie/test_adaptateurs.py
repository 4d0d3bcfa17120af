from pathlib import Path

import pytest

from demographie import adaptateurs
from demographie.importation import ErreurImport
from demographie.models import Effectif

FICHIERS = Path(__file__).parent / "fichiers"


@pytest.fixture
def paris(db):
    from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

    dep = DepartementFactory(code="75", nom="Paris", region=RegionFactory(code="11"))
    CommuneFactory(code="75056", nom="Paris", departement=dep)


def _cellules(**filtres):
    return {
        (e.code_territoire, e.profession, e.sexe, e.mode_exercice): e.effectif
        for e in Effectif.objects.filter(**filtres)
    }


@pytest.mark.django_db
def test_rpps_compte_les_professionnels_distincts(martinique, paris):
    r = adaptateurs.importer_rpps(
        FICHIERS / "rpps-personne-activite.txt", annee=2025, libelle_source="RPPS test"
    )
    assert r["lignes"] == 9 and r["communes"] == 3
    assert _cellules() == {
        ("97209", "medecin-generaliste", "H", "mixte"): 1,  # L + S in the same commune
        ("97209", "medecin-generaliste", "F", "liberal"): 1,
        ("97213", "medecin-generaliste", "F", "liberal"): 1,  # counted in each commune
        ("97209", "medecin-specialiste", "F", "salarie"): 1,
        ("97209", "infirmier", "F", "liberal"): 1,
        ("75056", "infirmier", "H", "salarie"): 1,  # arrondissement → Paris
    }
    assert set(Effectif.objects.values_list("tranche_age", flat=True)) == {"inconnu"}
    # re-import replaces the year for those communes
    adaptateurs.importer_rpps(
        FICHIERS / "rpps-personne-activite.txt", annee=2025, libelle_source="RPPS test"
    )
    assert Effectif.objects.count() == 6


@pytest.mark.django_db
def test_rpps_colonne_manquante(tmp_path, martinique):
    chemin = tmp_path / "x.txt"
    chemin.write_text("Identification nationale PP|Code profession\n1|10\n", encoding="utf-8")
    with pytest.raises(ErreurImport, match="colonne absente « Code civilité »"):
        adaptateurs.importer_rpps(chemin, annee=2025, libelle_source="x")
    assert not Effectif.objects.exists()


@pytest.mark.django_db
def test_ameli_tranches_totaux_et_cellules_masquees(martinique):
    r = adaptateurs.importer_ameli(FICHIERS / "ameli-effectifs.csv", libelle_source="CNAM test")
    assert r["professions_ignorees"] == ["Psychiatres"]
    cellules = {
        (e.profession, e.tranche_age, e.sexe): e.effectif
        for e in Effectif.objects.filter(annee=2023, code_territoire="972")
    }
    assert cellules == {
        ("medecin-generaliste", "30-39", "F"): 20,  # 12 + 8
        ("medecin-generaliste", "<30", "H"): None,  # NS: unknown, not 0
        ("medecin-generaliste", "70+", "H"): None,
        ("medecin-generaliste", "65-69", "H"): 5,
        ("infirmier", "40-49", "H"): 1234,
    }
    assert set(Effectif.objects.values_list("mode_exercice", flat=True)) == {"liberal"}


def test_correspondance_des_professions_ameli():
    assert adaptateurs.profession_ameli("Masseurs-kinésithérapeutes") == "masseur-kinesitherapeute"
    assert adaptateurs.profession_ameli("Sages-femmes") == "sage-femme"
    assert adaptateurs.profession_ameli("Pédiatres") is None
