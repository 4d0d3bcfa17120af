import pytest
from django.core.management import CommandError, call_command

from demographie import importation
from demographie.models import Effectif, Source

ENTETE = "annee;niveau;code_territoire;profession;tranche_age;sexe;mode_exercice;effectif\n"


def ecrire(tmp_path, lignes, entete=ENTETE, nom="effectifs.csv"):
    chemin = tmp_path / nom
    chemin.write_text(entete + "".join(f"{ligne}\n" for ligne in lignes), encoding="utf-8")
    return chemin


def importer(chemin, **kwargs):
    return importation.importer_canonique(chemin, libelle_source="Test", **kwargs)


@pytest.mark.django_db
def test_import_valide_avec_cellules_masquees(tmp_path, martinique):
    chemin = ecrire(
        tmp_path,
        [
            "2025;departement;972;medecin-generaliste;40-49;F;liberal;12",
            "2025;departement;972;medecin-generaliste;40-49;H;liberal;NS",
            "2025;departement;972;medecin-generaliste;<30;H;liberal;",
            "2025;commune;97209;infirmier;inconnu;inconnu;salarie;7",
            "2025;region;02;sage-femme;70+;F;mixte;0",
        ],
    )
    resultat = importer(chemin)
    assert resultat["lignes"] == 5 and resultat["masquees"] == 2
    assert Effectif.objects.count() == 5
    assert Effectif.objects.filter(effectif__isnull=True).count() == 2
    assert Effectif.objects.get(effectif=0).profession == "sage-femme"  # a real zero stays 0
    commune = Effectif.objects.get(niveau="commune")
    assert (commune.region_id, commune.departement_id, commune.commune_id) == ("02", "972", "97209")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        ("2025;departement;972;medecin-generaliste;40-49;F;liberal", "8 colonnes attendues, 7"),
        ("20x5;departement;972;medecin-generaliste;40-49;F;liberal;1", "année invalide « 20x5 »"),
        ("1850;departement;972;medecin-generaliste;40-49;F;liberal;1", "année invalide « 1850 »"),
        ("2025;canton;972;medecin-generaliste;40-49;F;liberal;1", "niveau invalide « canton »"),
        ("2025;departement;999;medecin-generaliste;40-49;F;liberal;1", "inconnu(e) « 999 »"),
        ("2025;commune;97299;medecin-generaliste;40-49;F;liberal;1", "inconnu(e) « 97299 »"),
        ("2025;departement;972;dentiste;40-49;F;liberal;1", "profession inconnue « dentiste »"),
        ("2025;departement;972;infirmier;40-45;F;liberal;1", "tranche d'âge invalide « 40-45 »"),
        ("2025;departement;972;infirmier;40-49;X;liberal;1", "sexe invalide « X »"),
        ("2025;departement;972;infirmier;40-49;F;public;1", "mode d'exercice invalide « public »"),
        ("2025;departement;972;infirmier;40-49;F;liberal;-3", "effectif invalide « -3 »"),
        ("2025;departement;972;infirmier;40-49;F;liberal;2,5", "effectif invalide « 2,5 »"),
    ],
)
def test_chaque_ligne_invalide_est_signalee_et_rien_n_est_ecrit(
    tmp_path, martinique, ligne, message
):
    chemin = ecrire(tmp_path, ["2025;departement;972;infirmier;<30;F;liberal;4", ligne])
    with pytest.raises(importation.ErreurImport) as exc:
        importer(chemin)
    assert exc.value.erreurs[0].startswith("ligne 3 : ")
    assert message in exc.value.erreurs[0]
    assert not Effectif.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_doublon_en_tete_et_fichier_vide(tmp_path, martinique):
    ligne = "2025;departement;972;infirmier;<30;F;liberal;4"
    with pytest.raises(importation.ErreurImport, match="ligne 3 : doublon de la ligne 2"):
        importer(ecrire(tmp_path, [ligne, ligne]))
    with pytest.raises(importation.ErreurImport, match="ligne 1 : en-tête attendu"):
        importer(ecrire(tmp_path, [ligne], entete="annee,niveau\n"))
    with pytest.raises(importation.ErreurImport, match="aucune ligne de données"):
        importer(ecrire(tmp_path, []))
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(
        (ENTETE + "2025;departement;972;infirmier;<30;F;libéral;1\n").encode("latin-1")
    )
    with pytest.raises(importation.ErreurImport, match="UTF-8"):
        importer(latin1)
    assert not Effectif.objects.exists()


@pytest.mark.django_db
def test_toutes_les_erreurs_sont_listees(tmp_path, martinique):
    chemin = ecrire(
        tmp_path, [f"2025;departement;972;infirmier;<30;F;liberal;x{i}" for i in range(5)]
    )
    with pytest.raises(importation.ErreurImport) as exc:
        importer(chemin)
    assert [e.split(" :")[0] for e in exc.value.erreurs] == [f"ligne {n}" for n in range(2, 7)]


@pytest.mark.django_db
def test_reimport_remplace_l_annee_pour_ces_territoires(tmp_path, martinique, deux_sevres):
    importer(
        ecrire(
            tmp_path,
            [
                "2025;departement;972;infirmier;<30;F;liberal;4",
                "2025;departement;972;infirmier;30-39;F;liberal;5",
                "2024;departement;972;infirmier;<30;F;liberal;3",
                "2025;departement;79;infirmier;<30;F;liberal;9",
            ],
            nom="a.csv",
        )
    )
    resultat = importer(
        ecrire(tmp_path, ["2025;departement;972;infirmier;<30;F;liberal;6"], nom="b.csv")
    )
    assert resultat["remplacees"] == 2
    restants = set(Effectif.objects.values_list("annee", "code_territoire", "effectif"))
    assert restants == {(2025, "972", 6), (2024, "972", 3), (2025, "79", 9)}


@pytest.mark.django_db
def test_import_hors_perimetre_refuse(tmp_path, martinique, deux_sevres):
    chemin = ecrire(tmp_path, ["2025;departement;79;infirmier;<30;F;liberal;4"])
    perimetre = importation.Perimetre(regions={"02"}, departements=set())
    with pytest.raises(importation.ErreurImport, match="hors de votre périmètre"):
        importer(chemin, perimetre=perimetre)


@pytest.mark.django_db
def test_commande_import_demographie(tmp_path, martinique):
    chemin = ecrire(tmp_path, ["2025;departement;972;infirmier;<30;F;liberal;4"])
    call_command(
        "import_demographie", str(chemin), "--source", "DREES 2025", stdout=open("/dev/null", "w")
    )
    assert Effectif.objects.get().source.libelle == "DREES 2025"
    mauvais = ecrire(tmp_path, ["2025;departement;972;infirmier;<30;F;liberal;z"], nom="m.csv")
    with pytest.raises(CommandError, match="ligne 2 : effectif invalide"):
        call_command("import_demographie", str(mauvais))
    assert Effectif.objects.count() == 1


@pytest.mark.django_db
def test_import_populations(tmp_path, martinique):
    chemin = tmp_path / "pop.csv"
    chemin.write_text("annee;niveau;code_territoire;population\n2025;departement;972;350000\n")
    assert importation.importer_populations(chemin, source="INSEE") == 1
    chemin.write_text("annee;niveau;code_territoire;population\n2025;departement;972;beaucoup\n")
    with pytest.raises(importation.ErreurImport, match="ligne 2 : population invalide"):
        importation.importer_populations(chemin, source="INSEE")


@pytest.mark.django_db
def test_initialiser_populations_depuis_les_communes(martinique):
    from django.db.models import Sum

    from demographie.models import Population
    from guichet.models import Commune

    importation.initialiser_populations(2021)
    attendu = Commune.objects.filter(departement=martinique).aggregate(s=Sum("population"))["s"]
    assert attendu >= 120_000  # the two communes of the fixture (and the real ones if loaded)
    pops = Population.objects.filter(annee=2021)
    assert pops.get(niveau="departement", code_territoire="972").population == attendu
    assert pops.get(niveau="region", code_territoire="02").population == attendu
    lamentin = Commune.objects.get(code="97213").population
    assert pops.get(niveau="commune", code_territoire="97213").population == lamentin
