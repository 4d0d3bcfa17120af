"""The layering (pyproject.toml, [tool.importlinter], run by `make lint`) is not dodged: no
module imports another app of the portal inside a function. Imports of its own app there stay
possible (an AppConfig, a model module read lazily)."""

import ast
from pathlib import Path

from django.conf import settings

APPLICATIONS = {"guichet", "aides", "installation", "rendezvous", "demographie", "espace",
                "opportunites"}  # fmt: skip


def _imports_dans_des_fonctions(chemin: Path):
    arbre = ast.parse(chemin.read_text(), str(chemin))
    for fonction in ast.walk(arbre):
        if isinstance(fonction, ast.FunctionDef | ast.AsyncFunctionDef):
            for noeud in ast.walk(fonction):
                if isinstance(noeud, ast.ImportFrom) and noeud.module and not noeud.level:
                    yield noeud.lineno, noeud.module
                elif isinstance(noeud, ast.Import):
                    yield from ((noeud.lineno, a.name) for a in noeud.names)


def test_aucune_importation_d_une_autre_application_dans_une_fonction():
    fautifs = []
    for app in sorted(APPLICATIONS):
        for chemin in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" in chemin.parts:
                continue
            for ligne, module in _imports_dans_des_fonctions(chemin):
                racine = module.split(".")[0]
                if racine in APPLICATIONS and racine != app:
                    fautifs.append(f"{chemin.relative_to(settings.BASE_DIR)}:{ligne} {module}")
    assert fautifs == []
