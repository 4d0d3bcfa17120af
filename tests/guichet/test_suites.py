"""The "suites" registry (guichet.suites): apps add links from a profession in a place to their
pages, the core importing none of them (the layers contract), like the other registries."""

import ast
import sys
from pathlib import Path

from django.conf import settings

from guichet import suites
from guichet.apps import REGISTRES, applications_du_portail


def test_le_registre_des_suites_est_declare_et_rempli_par_les_opportunites():
    assert "suites" in REGISTRES
    assert "opportunites.suites" in sys.modules
    noms = {f.__module__ for f in suites.SUITES}
    assert "opportunites.suites" in noms


def test_chaque_module_suites_enregistre_au_moins_une_suite():
    for config in applications_du_portail():
        if Path(config.path, "suites.py").exists() and config.name != "guichet":
            assert any(f.__module__ == f"{config.name}.suites" for f in suites.SUITES)


def test_le_socle_n_importe_aucune_application():
    arbre = ast.parse(Path(settings.BASE_DIR, "guichet", "suites.py").read_text())
    modules = {n.module for n in ast.walk(arbre) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(arbre) if isinstance(n, ast.Import) for a in n.names}
    applications = {c.name for c in applications_du_portail()} - {"guichet"}
    assert not {m.split(".")[0] for m in modules if m} & applications


def test_suites_triees_et_une_seule_precision_de_lieu(monkeypatch):
    recus = []

    def seconde(**kwargs):
        recus.append(kwargs)
        return suites.Suite(20, "Seconde", "/b")

    def premiere(**kwargs):
        return suites.Suite(5, "Première", "/a")

    monkeypatch.setattr(suites, "SUITES", [seconde, lambda **k: None, premiere])
    commune, departement = object(), object()
    resultat = suites.suites_pour(profession="infirmier", commune=commune, departement=departement)
    assert [s.titre for s in resultat] == ["Première", "Seconde"]
    assert recus == [{"profession": "infirmier", "commune": commune, "departement": None}]
