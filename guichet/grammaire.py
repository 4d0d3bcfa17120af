"""Grammar of generated sentences: département names with their article, agreement, plurals."""

import re

# The article each département takes after "de" ("le département des Deux-Sèvres").
_PLURIEL = "04 05 06 08 13 22 40 64 65 66 78 79 88 92".split()
_FEMININ = (
    "16 17 19 2A 2B 21 23 24 26 31 33 42 43 44 48 50 51 52 53 54 55 57 58 70 71 72 73 74 "
    "76 77 80 85 86 87 93 971 972 973"
).split()
_ELISION = "01 02 03 07 09 10 11 12 27 28 34 35 36 37 38 60 61 89 91".split()
_SANS_ARTICLE = {"75": "de ", "976": "de ", "974": "de "}


def de_departement(code: str, nom: str) -> str:
    """ "des Deux-Sèvres", "de la Creuse", "de l'Ain", "du Nord", "de Paris", "de La Réunion"."""
    if code in _SANS_ARTICLE:
        return _SANS_ARTICLE[code] + nom
    if code in _PLURIEL:
        return f"des {nom}"
    if code in _FEMININ:
        return f"de la {nom}"
    if code in _ELISION:
        return f"de l'{nom}"
    return f"du {nom}"


# A name beginning with a vowel or a mute h takes "d'": "l'agenda d'Alix", "d'Hélène".
_ELIDE = re.compile(r"^[aeiouhàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


def de_nom(nom: str) -> str:
    """ "d'Alix Martin", "de Camille Roy": "de" before a person's name, elided before a vowel."""
    nom = (nom or "").strip()
    return f"d'{nom}" if _ELIDE.match(nom) else f"de {nom}"


def a_commune(nom: str) -> str:
    """ "à Niort", "au Lamentin", "aux Abymes", "à La Rochelle", "à L'Isle-Adam"."""
    if nom.startswith("Le "):
        return f"au {nom[3:]}"
    if nom.startswith("Les "):
        return f"aux {nom[4:]}"
    return f"à {nom}"


MOIS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()


def date_longue(jour) -> str:
    """ "1er janvier 2025", "14 mars 2026" (the first of the month is an ordinal in French)."""
    if not jour:
        return ""
    quantieme = "1er" if jour.day == 1 else str(jour.day)
    return f"{quantieme} {MOIS[jour.month - 1]} {jour.year}"


# The day before a month's name ("j F", "j E", "j N", "j M"); numeric forms ("j/n/Y") stay "1".
_QUANTIEME = re.compile(r"(?<!\\)j(?= [FENMb])")


def format_de_date(valeur, format_: str | None = None) -> str:
    """Django's date format for ``valeur``, its day "1er" on the first of the month.

    ``j`` before a month's name becomes an escaped literal "1er"; named formats
    ("DATE_FORMAT") are resolved first; anything without a ``day`` is left as it is.
    """
    from django.utils import formats

    format_ = formats.get_format(format_ or "DATE_FORMAT")
    if getattr(valeur, "day", None) == 1:
        format_ = _QUANTIEME.sub(r"1\\e\\r", format_)
    return format_


def formater_date(valeur, format_: str | None = None) -> str:
    """``valeur`` in ``format_`` ("l j F Y"), "1er" on the first of the month: every date the
    portal prints (pages, e-mails, invitations, PDFs) goes through here or the ``date`` filter."""
    from django.utils import formats

    return formats.date_format(valeur, format_de_date(valeur, format_))


def pluriel(nombre: int, singulier: str, pluriel_: str | None = None) -> str:
    """ "1 aide", "2 aides", "0 aide"."""
    mot = singulier if abs(nombre) < 2 else (pluriel_ or f"{singulier}s")
    return f"{nombre} {mot}"


PROFESSIONS_PLURIEL = {
    "medecin-generaliste": "médecins généralistes",
    "medecin-specialiste": "médecins spécialistes",
    "chirurgien-dentiste": "chirurgiens-dentistes",
    "sage-femme": "sages-femmes",
    "infirmier": "infirmiers et infirmières",
    "masseur-kinesitherapeute": "masseurs-kinésithérapeutes",
    "pharmacien": "pharmaciens et pharmaciennes",
    "orthophoniste": "orthophonistes",
    "orthoptiste": "orthoptistes",
    "pedicure-podologue": "pédicures-podologues",
    "autre": "autres professions",
}


def enumeration(elements: list[str], conjonction: str = "et") -> str:
    """ "a", "a et b", "a, b et c"."""
    if len(elements) <= 1:
        return "".join(elements)
    return ", ".join(elements[:-1]) + f" {conjonction} " + elements[-1]


def accorder(genre: str, masculin: str, feminin: str, neutre: str | None = None) -> str:
    """The word agreed with a person's ``Genre``: "f", "m", or unknown (the neutral doublet
    "masculin ou féminin", as the profession vocabulary writes "Infirmier ou infirmière")."""
    if genre == "f":
        return feminin
    if genre == "m":
        return masculin
    return neutre if neutre is not None else f"{masculin} ou {feminin}"


_ARTICLES = {"": ("", ""), "le": ("le ", "la "), "du": ("du ", "de la ")}


def fonction_referent(genre: str, *, article: str = "") -> str:
    """ "référente installation", with ``article="le"`` "la référente installation", with
    ``article="du"`` "du référent installation"; unknown genre: "le référent ou la référente
    installation"."""
    masc, fem = _ARTICLES[article]
    return accorder(
        genre,
        f"{masc}référent installation",
        f"{fem}référente installation",
        f"{masc}référent ou {fem}référente installation",
    )


def fonction_referents(genres: list[str]) -> str:
    """The role of several named people: "référentes installation" when all are women,
    "référents installation" when all are men, else both words."""
    if len(genres) == 1:
        return fonction_referent(genres[0])
    if genres and all(g == "f" for g in genres):
        return "référentes installation"
    if genres and all(g == "m" for g in genres):
        return "référents installation"
    return "référents et référentes installation"


# Régions whose name takes an article after "de" ("de la Martinique", "des Hauts-de-France").
_ARTICLE_REGION = {
    "01": "de la ",
    "02": "de la ",
    "03": "de la ",
    "24": "du ",
    "32": "des ",
    "44": "du ",
    "52": "des ",
}
_VOYELLES = tuple("AEIOUYÉÈÊÎÏÔÂÀ")


def de_region(code: str, nom: str) -> str:
    """ "de la Martinique", "des Hauts-de-France", "d'Île-de-France", "de Bretagne", "de La
    Réunion"."""
    if code in _ARTICLE_REGION:
        return _ARTICLE_REGION[code] + nom
    return f"d'{nom}" if nom.startswith(_VOYELLES) else f"de {nom}"


def de_commune(nom: str) -> str:
    """ "de Felletin", "d'Aubusson", "du Lamentin", "des Abymes", "de La Souterraine"."""
    if nom.startswith("Le "):
        return f"du {nom[3:]}"
    if nom.startswith("Les "):
        return f"des {nom[4:]}"
    return f"d'{nom}" if nom.startswith(_VOYELLES) else f"de {nom}"
