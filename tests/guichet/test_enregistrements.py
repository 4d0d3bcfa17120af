"""One way for an app to register with the core: a module named after the registry
(guichet.apps.REGISTRES), imported by the core; never a registration in an AppConfig.ready."""

import ast
import sys
from pathlib import Path

from guichet import audit, fiche_commune, publics, recherche, rgpd, sitemaps
from guichet.apps import REGISTRES, applications_du_portail


def test_les_sept_applications_du_portail():
    noms = {c.name for c in applications_du_portail()}
    assert {"guichet", "aides", "installation", "rendezvous", "demographie", "espace",
            "opportunites"} <= noms  # fmt: skip
    assert not {"allauth", "auditlog", "dsfr", "django.contrib.admin"} & noms


def test_aucun_ready_n_enregistre_aupres_du_socle():
    """An AppConfig.ready imports none of its app's registry modules (the core does)."""
    fautifs = []
    for config in applications_du_portail():
        arbre = ast.parse(Path(config.path, "apps.py").read_text())
        for noeud in ast.walk(arbre):
            if isinstance(noeud, ast.ImportFrom) and noeud.module:
                noms = [noeud.module] + [f"{noeud.module}.{a.name}" for a in noeud.names]
                fautifs += [n for n in noms if n.split(".")[-1] in REGISTRES and
                            n.split(".")[0] == config.name]  # fmt: skip
            if isinstance(noeud, ast.Call) and getattr(noeud.func, "attr", "") in {
                "enregistrer", "enregistrer_sources"}:  # fmt: skip
                fautifs.append(f"{config.name}: {ast.unparse(noeud)}")
    assert fautifs == []


def test_chaque_module_d_enregistrement_est_importe_par_le_socle():
    for config in applications_du_portail():
        for registre in REGISTRES:
            if Path(config.path, f"{registre}.py").exists():
                assert f"{config.name}.{registre}" in sys.modules


def test_les_registres_sont_remplis():
    """What each app registers reaches the core: sections, sources, pages, trail, RGPD."""
    assert len(fiche_commune.SECTIONS) >= 4
    assert len(recherche.SOURCES) >= 3
    assert {"aides", "etapes", "demographie", "opportunites"} <= set(sitemaps.SECTIONS)
    assert publics.CONTENUS
    assert {"questions", "rendezvous", "opportunites"} <= set(rgpd._SOURCES)
    assert "espace.compteurjournalier" in audit.NON_TRACES
