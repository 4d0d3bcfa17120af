"""Every import command stands on the core's base (guichet.commandes.CommandeImport): a missing
file is named, a refused file is refused whole with its line numbers and changes nothing, a
data set already loaded is not loaded again."""

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class

from aides.models import Zonage
from demographie.models import Population
from guichet.commandes import CommandeImport
from guichet.models import JeuDeDonnees

IMPORTS = sorted(nom for nom in get_commands() if nom.startswith("import_"))


def _commande(nom):
    return load_command_class(get_commands()[nom], nom)


def test_chaque_commande_d_import_repose_sur_la_base_du_socle():
    assert len(IMPORTS) >= 9
    for nom in IMPORTS:
        assert isinstance(_commande(nom), CommandeImport), nom


def _avec_fichier(nom) -> bool:
    parser = _commande(nom).create_parser("manage.py", nom)
    return any(action.dest == "fichier" for action in parser._actions)


@pytest.mark.django_db
@pytest.mark.parametrize("nom", [n for n in IMPORTS if _avec_fichier(n)])
def test_un_fichier_absent_est_nomme(nom, tmp_path):
    absent = tmp_path / "absent.csv"
    options = ["--annee", "2025"] if nom == "import_rpps" else []
    with pytest.raises(CommandError, match=f"Fichier introuvable : {absent}"):
        call_command(nom, str(absent), *options)


# A file with one bad line (its line number in the message) for the CSV imports.
REFUSES = {
    "import_zonage": (
        "code_commune;profession;niveau;date_arrete;source\n99999;infirmier;zip;2025-03-01;X\n",
        "ligne 2 : commune inconnue « 99999 »",
        Zonage,
    ),
    "import_demographie": (
        "annee;niveau;code_territoire;profession;tranche_age;sexe;mode_exercice;effectif\n"
        "2025;departement;79;infirmier;<30;F;liberal;4\n"
        "2025;departement;79;infirmier;<30;H;seul;4\n",
        "ligne 3 : ",
        Population,
    ),
    "import_populations": (
        "annee;niveau;code_territoire;population\n2025;departement;79\n",
        "ligne 2 : 4 colonnes attendues, 3 trouvées",
        Population,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("nom", sorted(REFUSES))
def test_un_fichier_refuse_l_est_en_entier_avec_ses_numeros_de_ligne(nom, tmp_path):
    contenu, message, modele = REFUSES[nom]
    fichier = tmp_path / "refuse.csv"
    fichier.write_text(contenu, encoding="utf-8")
    avant = modele.objects.count()
    with pytest.raises(CommandError) as erreur:
        call_command(nom, str(fichier))
    assert "rien n'a été modifié" in str(erreur.value)
    assert message in str(erreur.value)
    assert modele.objects.count() == avant


@pytest.mark.django_db
def test_un_jeu_deja_charge_ne_l_est_pas_deux_fois(territoires_complets, capsys):
    call_command("import_dispositifs", "--force")
    assert JeuDeDonnees.objects.est_charge("demographie-dispositifs")
    charge_le = JeuDeDonnees.objects.get(nom="demographie-dispositifs").charge_le
    call_command("import_dispositifs")
    assert "déjà à jour" in capsys.readouterr().out
    assert JeuDeDonnees.objects.get(nom="demographie-dispositifs").charge_le == charge_le
