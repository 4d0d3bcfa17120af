"""Generated sentences: dates, département articles, plurals and agreement."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats

from guichet import grammaire


@pytest.mark.parametrize(
    ("jour", "attendu"),
    [
        (datetime.date(2025, 1, 1), "1er janvier 2025"),
        (datetime.date(2026, 3, 14), "14 mars 2026"),
        (datetime.date(2026, 8, 31), "31 août 2026"),
        (None, ""),
    ],
)
def test_date_longue(jour, attendu):
    assert grammaire.date_longue(jour) == attendu


def _departements():
    import csv
    from pathlib import Path

    from django.conf import settings

    chemin = Path(settings.BASE_DIR) / "fixtures" / "territoires" / "departements.csv"
    with chemin.open(encoding="utf-8") as f:
        return {r["code"]: r["nom"] for r in csv.DictReader(f, delimiter=";")}


def test_chaque_departement_du_fichier_a_un_article_et_un_seul():
    departements = _departements()
    listes = [
        grammaire._PLURIEL,
        grammaire._FEMININ,
        grammaire._ELISION,
        list(grammaire._SANS_ARTICLE),
    ]
    for liste in listes:
        assert set(liste) <= set(departements), set(liste) - set(departements)
    for code in departements:
        assert sum(code in liste for liste in listes) <= 1, code
    # the names the lists imply: a plural name starts with a plural word, an elided one with
    # a vowel or a mute h
    for code in grammaire._ELISION:
        assert departements[code][0] in "AEIOUYH", departements[code]
    for code in grammaire._PLURIEL:
        premier = departements[code].split("-")[0]
        assert premier.endswith(("s", "x")) or premier in ("Deux",), departements[code]


@pytest.mark.parametrize(
    ("code", "attendu"),
    [
        ("79", "des Deux-Sèvres"),
        ("23", "de la Creuse"),
        ("01", "de l'Ain"),
        ("59", "du Nord"),
        ("75", "de Paris"),
        ("974", "de La Réunion"),
        ("976", "de Mayotte"),
        ("972", "de la Martinique"),
        ("90", "du Territoire de Belfort"),
        ("34", "de l'Hérault"),
        ("28", "de l'Eure-et-Loir"),
        ("2A", "de la Corse-du-Sud"),
        ("95", "du Val-d'Oise"),
    ],
)
def test_departement_avec_son_article(code, attendu):
    assert grammaire.de_departement(code, _departements()[code]) == attendu


def test_chaque_profession_a_son_pluriel():
    from guichet.vocabulaire import Profession

    assert set(grammaire.PROFESSIONS_PLURIEL) == set(Profession.values)
    for code, pluriel in grammaire.PROFESSIONS_PLURIEL.items():
        assert pluriel == pluriel.lower() and pluriel.endswith("s"), code
    phrase = "ouverte aux " + grammaire.enumeration(
        [grammaire.PROFESSIONS_PLURIEL[p] for p in ("medecin-generaliste", "sage-femme")]
    )
    assert phrase == "ouverte aux médecins généralistes et sages-femmes"


@pytest.mark.parametrize(
    ("genre", "seul", "avec_le", "avec_du"),
    [
        (
            "f",
            "référente installation",
            "la référente installation",
            "de la référente installation",
        ),
        ("m", "référent installation", "le référent installation", "du référent installation"),
        (
            "",
            "référent ou référente installation",
            "le référent ou la référente installation",
            "du référent ou de la référente installation",
        ),
    ],
)
def test_fonction_referent_accordee(genre, seul, avec_le, avec_du):
    assert grammaire.fonction_referent(genre) == seul
    assert grammaire.fonction_referent(genre, article="le") == avec_le
    assert grammaire.fonction_referent(genre, article="du") == avec_du


def test_chaque_genre_du_vocabulaire_s_accorde():
    from guichet.vocabulaire import Genre

    formes = {grammaire.fonction_referent(g) for g in Genre.values}
    assert len(formes) == len(Genre.values)  # each choice reads differently


@pytest.mark.parametrize(
    ("genres", "attendu"),
    [
        (["f"], "référente installation"),
        (["f", "f"], "référentes installation"),
        (["m", "m"], "référents installation"),
        (["f", "m"], "référents et référentes installation"),
        (["f", ""], "référents et référentes installation"),
    ],
)
def test_plusieurs_referents(genres, attendu):
    assert grammaire.fonction_referents(genres) == attendu


def _regions():
    import csv
    from pathlib import Path

    from django.conf import settings

    chemin = Path(settings.BASE_DIR) / "fixtures" / "territoires" / "regions.csv"
    with chemin.open(encoding="utf-8") as f:
        return {r["code"]: r["nom"] for r in csv.DictReader(f, delimiter=";")}


REGIONS_APRES_DE = {
    "01": "de la Guadeloupe", "02": "de la Martinique", "03": "de la Guyane",
    "04": "de La Réunion", "06": "de Mayotte", "11": "d'Île-de-France",
    "24": "du Centre-Val de Loire", "27": "de Bourgogne-Franche-Comté", "28": "de Normandie",
    "32": "des Hauts-de-France", "44": "du Grand Est", "52": "des Pays de la Loire",
    "53": "de Bretagne", "75": "de Nouvelle-Aquitaine", "76": "d'Occitanie",
    "84": "d'Auvergne-Rhône-Alpes", "93": "de Provence-Alpes-Côte d'Azur", "94": "de Corse",
}  # fmt: skip


def test_chaque_region_avec_son_article():
    regions = _regions()
    assert set(regions) == set(REGIONS_APRES_DE)
    for code, nom in regions.items():
        assert grammaire.de_region(code, nom) == REGIONS_APRES_DE[code]


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("Felletin", "de Felletin"),
        ("Aubusson", "d'Aubusson"),
        ("Le Lamentin", "du Lamentin"),
        ("Les Abymes", "des Abymes"),
        ("La Souterraine", "de La Souterraine"),
        ("Évaux-les-Bains", "d'Évaux-les-Bains"),
    ],
)
def test_commune_avec_son_article(nom, attendu):
    assert grammaire.de_commune(nom) == attendu


@pytest.mark.parametrize(
    "nom, attendu",
    [
        ("Alix Martin", "d'Alix Martin"),
        ("Émile Roy", "d'Émile Roy"),
        ("Hélène Dupré", "d'Hélène Dupré"),
        ("Camille Roy", "de Camille Roy"),
        ("Oscar", "d'Oscar"),
        ("Ulysse", "d'Ulysse"),
        ("Bastien", "de Bastien"),
    ],
)
def test_de_nom_elide_devant_une_voyelle(nom, attendu):
    assert grammaire.de_nom(nom) == attendu


# -- "1er" on the first of the month, on every surface -----------------------------------------

SOURCES = Path(settings.BASE_DIR)
_FORMATS_DANS_LES_GABARITS = re.compile(r"""\|date:(?:"([^"]*)"|'([^']*)')""")


def _formats_utilises() -> set[str]:
    """Every date format written in a template, plus the defaults of Python callers."""
    formats = {"DATE_FORMAT", "l j F Y à H:i", "j F Y à H:i", "l j F"}
    for gabarit in (SOURCES / "templates").glob("**/*.*"):
        for a, b in _FORMATS_DANS_LES_GABARITS.findall(gabarit.read_text(encoding="utf-8")):
            formats.add(a or b)
    return formats


@pytest.mark.parametrize("format_", sorted(_formats_utilises()))
def test_chaque_format_de_date_des_gabarits_dit_1er(format_):
    """Every ``|date:`` format of every template (pages, e-mails, PDFs): "1er" on the 1st,
    the plain number on other days, numeric formats untouched."""
    rendu = Template("{{ d|date:f }}")
    for jour in (datetime.datetime(2027, 2, 1, 9, 5), datetime.datetime(2026, 12, 1, 14, 30)):
        texte = rendu.render(Context({"d": jour, "f": format_}))
        if re.search(r"(?<!\\)j [FENMb]", formats.get_format(format_)):
            assert re.search(r"\b1er\b", texte), (format_, texte)
            assert not re.search(r"\b1 (?!er)", texte), (format_, texte)
        assert grammaire.formater_date(jour, format_) == texte
    texte = rendu.render(Context({"d": datetime.datetime(2027, 2, 11, 9), "f": format_}))
    assert "1er" not in texte and "11er" not in texte
    numerique = rendu.render(Context({"d": datetime.date(2027, 2, 1), "f": "j/n/Y"}))
    assert numerique == "1/2/2027"
    assert "1er" not in texte and "11er" not in texte


def test_aucun_module_ne_formate_une_date_a_cote_du_filtre():
    """Python code formats dates through guichet.grammaire.formater_date, never Django's
    ``date_format`` directly (which would print "1 décembre")."""
    fautifs = []
    for module in SOURCES.glob("*/**/*.py"):
        if ".venv" in module.parts or "tests" in module.parts or module.name == "grammaire.py":
            continue
        texte = module.read_text(encoding="utf-8")
        if re.search(r"\bdate_format\(|dateformat\.format\(|strftime\(\"[^\"]*%-?d", texte):
            fautifs.append(str(module.relative_to(SOURCES)))
    assert fautifs == []
