import pytest

from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EffectifFactory,
    PopulationFactory,
    RegionFactory,
    SourceFactory,
)


@pytest.fixture
def martinique(db):
    """Martinique (02) with its département 972, two communes and populations."""
    region = RegionFactory(martinique=True)
    dep = DepartementFactory(code="972", nom="Martinique", region=region)
    CommuneFactory(code="97209", nom="Fort-de-France", departement=dep, population=80_000)
    CommuneFactory(code="97213", nom="Le Lamentin", departement=dep, population=40_000)
    PopulationFactory(annee=2023, departement=dep, population=200_000)
    PopulationFactory(
        annee=2023,
        niveau="region",
        departement=None,
        region=region,
        code_territoire="02",
        population=200_000,
    )
    return dep


@pytest.fixture
def deux_sevres(db):
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    CommuneFactory(code="79191", nom="Niort", departement=dep, population=60_000)
    PopulationFactory(annee=2023, departement=dep, population=400_000)
    PopulationFactory(
        annee=2023,
        niveau="region",
        departement=None,
        region=region,
        code_territoire="75",
        population=400_000,
    )
    return dep


@pytest.fixture
def effectifs_martinique(martinique):
    """Hand-checkable general practitioners of 972.

    2025: 10 (F, 60-64, libéral) + 30 (H, 30-39, salarié) + a masked cell = 40 known;
    2024: 36; 2020: 50.
    """
    source = SourceFactory(libelle="DREES, RPPS (test)")
    cellule = {"departement": martinique, "source": source}
    EffectifFactory(**cellule, tranche_age="60-64", sexe="F", mode_exercice="liberal", effectif=10)
    EffectifFactory(**cellule, tranche_age="30-39", sexe="H", mode_exercice="salarie", effectif=30)
    EffectifFactory(
        **cellule, tranche_age="inconnu", sexe="inconnu", mode_exercice="mixte", effectif=None
    )
    EffectifFactory(**cellule, annee=2024, effectif=36)
    EffectifFactory(**cellule, annee=2020, effectif=50)
    EffectifFactory(**cellule, profession="infirmier", effectif=400)
    return source


@pytest.fixture
def communes_martinique(effectifs_martinique, martinique):
    """GPs of two communes of 972 in 2025 (Le Lamentin has a masked cell), with populations."""
    from guichet.models import Commune

    for code, effectifs, population in [("97209", [110], 80_000), ("97213", [30, None], 40_000)]:
        commune = Commune.objects.get(pk=code)
        for mode, effectif in zip(["liberal", "salarie"], effectifs, strict=False):
            EffectifFactory(
                niveau="commune",
                commune=commune,
                code_territoire=code,
                departement=martinique,
                tranche_age="inconnu",
                sexe="inconnu",
                mode_exercice=mode,
                effectif=effectif,
                source=effectifs_martinique,
            )
        PopulationFactory(
            annee=2025,
            niveau="commune",
            commune=commune,
            code_territoire=code,
            departement=martinique,
            population=population,
        )
