"""Time zones live once, in the core (guichet/fuseaux.py): every other module asks it."""

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings

from guichet import fuseaux
from guichet.models import Departement, Region

APPLICATIONS = ["guichet", "aides", "installation", "rendezvous", "demographie", "espace",
                "opportunites"]  # fmt: skip


# The module itself, and Django's TIME_ZONE setting (read before any app is loaded).
EXEMPTS = {"guichet/fuseaux.py", "guichet/settings.py"}


def _modules():
    for app in APPLICATIONS:
        for chemin in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" not in chemin.parts:
                yield chemin


def test_seul_le_socle_construit_un_fuseau():
    """No module but guichet/fuseaux.py builds a ZoneInfo or names a default zone itself."""
    fautifs = []
    for chemin in _modules():
        if chemin.relative_to(settings.BASE_DIR).as_posix() in EXEMPTS:
            continue
        for noeud in ast.walk(ast.parse(chemin.read_text(), str(chemin))):
            appel = isinstance(noeud, ast.Call) and getattr(noeud.func, "id", None) == "ZoneInfo"
            if appel or (isinstance(noeud, ast.Constant) and noeud.value == "Europe/Paris"):
                fautifs.append(f"{chemin.relative_to(settings.BASE_DIR)}:{noeud.lineno}")
    assert fautifs == []


@pytest.mark.parametrize("zone", [*fuseaux.FUSEAUX_REGIONS.values(), fuseaux.FUSEAU_PAR_DEFAUT])
def test_chaque_fuseau_des_regions_a_un_nom_francais(zone):
    assert fuseaux.nom_fuseau(fuseaux.fuseau(zone)).startswith("heure de ")


def test_fuseau_d_une_region_d_un_departement_ou_de_rien():
    region = Region(code="02", nom="Martinique", fuseau_horaire="America/Martinique")
    departement = Departement(code="972", nom="Martinique", region=region)
    assert fuseaux.fuseau_de(region).key == "America/Martinique"
    assert fuseaux.fuseau_de(departement).key == "America/Martinique"
    assert fuseaux.fuseau_de(None).key == fuseaux.FUSEAU_PAR_DEFAUT


def test_bornes_des_jours_a_l_heure_locale():
    zone = fuseaux.fuseau("Indian/Reunion")
    debut, fin = fuseaux.bornes_des_jours(datetime.date(2026, 3, 1), 7, zone)
    assert (debut.isoformat(), fin.isoformat()) == (
        "2026-03-01T00:00:00+04:00",
        "2026-03-08T00:00:00+04:00",
    )
