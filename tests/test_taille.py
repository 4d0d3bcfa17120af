"""Size of the project's own Python: short functions, the formatter left to do its work.

Reads the source with `ast` (no import, no database): every function or method of the apps is at
most 60 lines (decorators excluded), and `# fmt: skip` (apps and tests) stays for the few tables
that read better laid out by hand.
"""

import ast
import io
import tokenize
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
APPS = (
    "guichet",
    "aides",
    "installation",
    "rendezvous",
    "demographie",
    "espace",
    "opportunites",
    "benchmarks",
)
LIGNES_MAX = 60
FMT_SKIP_MAX = 100

# Functions still over the limit, each with the branch that splits it.
TEMPORAIRES: set[tuple[str, str]] = set()


def _sources():
    for app in APPS:
        for chemin in sorted((RACINE / app).rglob("*.py")):
            if "migrations" not in chemin.relative_to(RACINE).parts:
                yield chemin


def _fonctions(chemin):
    arbre = ast.parse(chemin.read_text(encoding="utf-8"), filename=str(chemin))
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef):
            # `lineno` is the `def` line: decorators are not counted.
            yield noeud.name, noeud.lineno, noeud.end_lineno - noeud.lineno + 1


def _fonctions_longues():
    for chemin in _sources():
        relatif = chemin.relative_to(RACINE).as_posix()
        for nom, ligne, longueur in _fonctions(chemin):
            if longueur > LIGNES_MAX and (relatif, nom) not in TEMPORAIRES:
                yield f"{relatif}:{ligne} {nom} ({longueur} lignes)"


def _lignes_fmt_skip(chemin):
    """Lines carrying a `# fmt: skip` comment (a string that mentions it does not count)."""
    texte = chemin.read_text(encoding="utf-8")
    return {
        jeton.start[0]
        for jeton in tokenize.generate_tokens(io.StringIO(texte).readline)
        if jeton.type == tokenize.COMMENT and "fmt: skip" in jeton.string
    }


def test_aucune_fonction_de_plus_de_60_lignes():
    longues = list(_fonctions_longues())
    assert not longues, "Fonctions de plus de 60 lignes :\n" + "\n".join(longues)


def test_la_liste_temporaire_ne_garde_que_des_fonctions_encore_longues():
    # Once a function is split, its entry goes: the allowlist cannot hide a new long function.
    longueurs = {
        (chemin.relative_to(RACINE).as_posix(), nom): longueur
        for chemin in _sources()
        for nom, _ligne, longueur in _fonctions(chemin)
    }
    perimees = [cle for cle in TEMPORAIRES if longueurs.get(cle, 0) <= LIGNES_MAX]
    assert not perimees, f"Déjà courtes, à retirer de TEMPORAIRES : {perimees}"


def test_fmt_skip_reserve_aux_tableaux():
    # The tests count too: the formatter lays them out like the rest of the code.
    tests = sorted((RACINE / "tests").rglob("*.py"))
    par_fichier = {
        chemin.relative_to(RACINE).as_posix(): len(_lignes_fmt_skip(chemin))
        for chemin in [*_sources(), *tests]
    }
    total = sum(par_fichier.values())
    detail = sorted(((n, f) for f, n in par_fichier.items() if n), reverse=True)
    assert total < FMT_SKIP_MAX, f"{total} lignes « # fmt: skip » : {detail[:15]}"
