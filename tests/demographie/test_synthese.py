"""The summary table gives exactly what the direct aggregation gave."""

import dataclasses
import random

import pytest

from demographie import indicateurs, synthese, territoires
from demographie.models import (
    Effectif,
    Population,
    Sexe,
    Synthese,
    TrancheAge,
)
from guichet.vocabulaire import MODES_STATUT
from tests.demographie import indicateurs_direct as direct
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EffectifFactory,
    RegionFactory,
    SourceFactory,
)

PROFESSIONS = ["medecin-generaliste", "infirmier", "sage-femme", "autre"]


def _cellules(rng, annee, profession, **territoire):
    """Every age × sex × mode cell, some masked, some missing."""
    for tranche in TrancheAge.values:
        for sexe in Sexe.values:
            for mode in MODES_STATUT:
                if rng.random() < 0.5:
                    continue
                valeur = None if rng.random() < 0.15 else rng.randint(0, 40)
                yield Effectif(
                    annee=annee,
                    profession=profession,
                    tranche_age=tranche,
                    sexe=sexe,
                    mode_exercice=mode,
                    effectif=valeur,
                    **territoire,
                )


@pytest.fixture
def jeu(db):
    """Two régions over several years and levels: département rows with a missing year, a
    région-level year, a commune-only département, an all-masked profession, two sources, a
    single-département région whose communes publish too."""
    rng = random.Random(15)
    na, mq = RegionFactory(nouvelle_aquitaine=True), RegionFactory(martinique=True)
    d79 = DepartementFactory(code="79", nom="Deux-Sèvres", region=na)
    d23 = DepartementFactory(code="23", nom="Creuse", region=na)
    d86 = DepartementFactory(code="86", nom="Vienne", region=na)
    d972 = DepartementFactory(code="972", nom="Martinique", region=mq)
    niort = CommuneFactory(code="79191", nom="Niort", departement=d79, population=60_000)
    parthenay = CommuneFactory(code="79202", nom="Parthenay", departement=d79)
    gueret = CommuneFactory(code="23096", nom="Guéret", departement=d23)
    fdf = CommuneFactory(code="97209", nom="Fort-de-France", departement=d972)
    s1, s2 = SourceFactory(libelle="DREES (test)"), SourceFactory(libelle="Ameli (test)")
    lignes = []

    def dep(d, annees, source, professions=PROFESSIONS):
        for a in annees:
            for p in professions:
                lignes.extend(
                    _cellules(
                        rng,
                        a,
                        p,
                        niveau="departement",
                        code_territoire=d.code,
                        region=d.region,
                        departement=d,
                        source=source,
                    )
                )

    def commune(c, annees, source):
        for a in annees:
            for p in PROFESSIONS[:3]:
                for mode in MODES_STATUT:
                    lignes.append(
                        Effectif(
                            annee=a,
                            profession=p,
                            niveau="commune",
                            code_territoire=c.code,
                            region=c.departement.region,
                            departement=c.departement,
                            commune=c,
                            tranche_age="inconnu",
                            sexe="inconnu",
                            mode_exercice=mode,
                            effectif=rng.choice([None, 0, 3, 12, 25]),
                            source=source,
                        )
                    )

    dep(d79, [2019, 2020, 2021, 2023, 2024, 2025], s1)  # 2022 missing
    dep(d86, [2020, 2024, 2025], s2)
    dep(d23, [2020], s1)
    dep(d972, [2020, 2024, 2025], s1)
    for c in (niort, parthenay):
        commune(c, [2022, 2024, 2025], s2)  # 2022: communes only
    commune(gueret, [2024, 2025], s2)  # the Creuse publishes by commune only then
    commune(fdf, [2025], s1)
    lignes.extend(
        _cellules(
            rng, 2021, "infirmier", niveau="region", code_territoire="75", region=na, source=s2
        )
    )
    Effectif.objects.bulk_create(lignes)
    for cellule in ("60-64", "30-39"):  # every cell masked: unknown, not zero
        EffectifFactory(
            departement=d86,
            annee=2023,
            profession="sage-femme",
            tranche_age=cellule,
            effectif=None,
            source=s2,
        )
    pops = [
        ("region", "75", na, None, None, 6_000_000),
        ("region", "02", mq, None, None, 360_000),
        ("departement", "79", na, d79, None, 370_000),
        ("departement", "23", na, d23, None, 115_000),
        ("departement", "86", na, d86, None, 440_000),
        ("departement", "972", mq, d972, None, 360_000),
        ("commune", "79191", na, d79, niort, 60_000),
        ("commune", "23096", na, d23, gueret, 13_000),
    ]
    Population.objects.bulk_create(
        [
            Population(
                annee=annee,
                niveau=n,
                code_territoire=code,
                region=r,
                departement=d,
                commune=c,
                population=v + annee,
                source="INSEE (test)",
            )
            for n, code, r, d, c, v in pops
            for annee in (2021, 2024)
        ]
    )
    synthese.recalculer()


def _plat(valeur):
    """A comparable form of a profile: dataclasses as dicts, territories as their codes."""
    if dataclasses.is_dataclass(valeur) and not isinstance(valeur, territoires.Territoire):
        return {
            f.name: _plat(getattr(valeur, f.name))
            for f in dataclasses.fields(valeur)
            if f.name not in ("resumes", "populations", "territoire")
        }
    if isinstance(valeur, territoires.Territoire):
        return (valeur.niveau, valeur.code, valeur.nom)
    if isinstance(valeur, dict):
        return {k: _plat(v) for k, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [_plat(v) for v in valeur]
    if hasattr(valeur, "libelle") and hasattr(valeur, "fictive"):  # a Source
        return (valeur.pk, valeur.libelle, valeur.fictive)
    return valeur


TERRITOIRES = [("france", "FR"), ("region", "75"), ("region", "02"), ("departement", "79"),
               ("departement", "23"), ("departement", "86"), ("departement", "972"),
               ("commune", "79191"), ("commune", "23096")]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("niveau,code", TERRITOIRES)
def test_la_synthese_donne_le_calcul_direct(jeu, niveau, code):
    t = territoires.trouver(niveau, code)
    attendu = direct.profil(t, profession="infirmier")
    assert attendu.annees, "the dataset must give this territory figures"
    for annee in [None, *attendu.annees]:
        for profession in ("medecin-generaliste", "sage-femme"):
            ancien = direct.profil(t, annee=annee, profession=profession)
            nouveau = indicateurs.profil(t, annee=annee, profession=profession)
            assert _plat(nouveau) == _plat(ancien), (annee, profession)
        court = indicateurs.profil(t, annee=annee, profession="infirmier", detail=False)
        assert _plat(court) == _plat(
            direct.profil(t, annee=annee, profession="infirmier", detail=False)
        )


@pytest.mark.django_db
def test_le_jeu_couvre_les_cas_difficiles(jeu):
    """The comparison above is only worth something if the dataset has these cases."""
    assert direct.niveaux_par_annee(territoires.trouver("region", "75")) == {
        2019: "departement",
        2020: "departement",
        2021: "region",
        2022: "commune",
        2023: "departement",
        2024: "departement",
        2025: "departement",
    }
    assert direct.niveaux_par_annee(territoires.trouver("departement", "23"))[2025] == "commune"
    creuse = indicateurs.profil(
        territoires.trouver("departement", "86"), annee=2023, profession="sage-femme"
    )
    assert creuse.selection.lignes == 2 and creuse.selection.effectif is None


@pytest.mark.django_db
@pytest.mark.parametrize("annee", [2020, 2022, 2024, 2025])
def test_la_carte_de_france_donne_le_calcul_direct(jeu, annee):
    assert _plat(indicateurs.par_departement(annee)) == _plat(direct.par_departement(annee))


@pytest.mark.django_db
def test_une_ecriture_hors_import_est_rattrapee_a_la_lecture(jeu):
    """A write that does not rebuild the summary (shell, admin) is caught by the trigger's
    counter: the next read rebuilds it."""
    d79 = territoires.trouver("departement", "79")
    avant = indicateurs.profil(d79, profession="medecin-generaliste").selection.effectif
    EffectifFactory(
        departement_id="79",
        region_id="75",
        annee=2025,
        tranche_age="inconnu",
        sexe="inconnu",
        mode_exercice="inconnu",
        effectif=1000,
    )
    compteurs = synthese._compteurs()
    assert compteurs["effectifs"] != compteurs["synthese"]
    apres = indicateurs.profil(d79, profession="medecin-generaliste").selection.effectif
    assert apres == avant + 1000
    compteurs = synthese._compteurs()
    assert compteurs["effectifs"] == compteurs["synthese"]


@pytest.mark.django_db
def test_un_import_recalcule_la_synthese_dans_sa_transaction(martinique):
    from demographie import importation

    fichier = (
        "annee;niveau;code_territoire;profession;tranche_age;sexe;mode_exercice;effectif\n"
        "2025;departement;972;medecin-generaliste;40-49;F;liberal;12\n"
    )
    importation.importer_canonique(_fichier(fichier), libelle_source="Test")
    ligne = Synthese.objects.get(
        niveau_territoire="region",
        code_territoire="02",
        annee=2025,
        profession="medecin-generaliste",
    )
    assert ligne.total == 12 and ligne.pyramide == {"40-49|F": 12}
    compteurs = synthese._compteurs()
    assert compteurs["effectifs"] == compteurs["synthese"]


def _fichier(texte):
    import io

    return io.BytesIO(texte.encode())
