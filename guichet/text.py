"""Text helpers shared by every app: accent-insensitive normalisation and safe Markdown."""

import re
from functools import lru_cache

import markdown
import nh3
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.safestring import mark_safe

# Created by migration guichet 0001; IMMUTABLE so it can back generated columns and indexes.
# Core PostgreSQL only (no unaccent extension): lower case, accents folded, punctuation and
# hyphens as spaces, "saint"/"sainte" abbreviated as people type them ("st", "ste").
NORMALISE_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_normalise(texte text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT trim(
    regexp_replace(
      regexp_replace(
        regexp_replace(
          translate(
            replace(replace(replace(replace(lower(texte),
              'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'),
            'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ',
            'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy'
          ),
          '[^a-z0-9]+', ' ', 'g'
        ),
        '\msainte\M', 'ste', 'g'
      ),
      '\msaint\M', 'st', 'g'
    )
  )
$$;
"""
DROP_NORMALISE_SQL = "DROP FUNCTION IF EXISTS guichet_normalise(text);"


class NormaliseFunc(models.Func):
    function = "guichet_normalise"
    output_field = models.TextField()


class MotsFunc(models.Func):
    """The words of an already normalised text, as a tsvector of the core "simple" configuration
    (no stemming, no contrib extension): matched by word beginnings through a GIN index."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


MARKDOWN_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "abbr", "code", "hr",
}  # fmt: skip


_PUCE = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+\S")


def listes_separees(texte: str) -> str:
    """Put a blank line before a list that follows a paragraph line.

    Python-Markdown only starts a list after a blank line; staff (and the fixtures) write
    "**Conditions** :" directly followed by "- …", which would otherwise run inline.
    """
    lignes = (texte or "").splitlines()
    resultat: list[str] = []
    for ligne in lignes:
        precedente = resultat[-1] if resultat else ""
        if _PUCE.match(ligne) and precedente.strip() and not _PUCE.match(precedente):
            # a continuation line of a list item is indented: it stays in its item
            if not precedente.startswith((" ", "\t")):
                resultat.append("")
        resultat.append(ligne)
    return "\n".join(resultat)


# A pure function of the text: the same text gives the same HTML, so a bounded memo needs no
# invalidation (an edited text is a new key). Pages re-rendered every step's Markdown on every view.
@lru_cache(maxsize=settings.MEMOIRE_PROCESSUS["markdown"])
def markdown_sur(texte: str) -> str:
    """Render staff-written Markdown to HTML, keeping only a safe subset of tags."""
    html = markdown.markdown(
        listes_separees(texte), extensions=["extra", "sane_lists"], output_format="html"
    )
    propre = nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(propre)  # noqa: S308 - sanitised by nh3 just above


def normalise_python(texte: str) -> str:
    """The same normalisation as the SQL function, for comparisons made in Python."""
    import re
    import unicodedata

    texte = (texte or "").lower().replace("œ", "oe").replace("æ", "ae")
    texte = "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))
    texte = re.sub(r"[^a-z0-9]+", " ", texte).strip()
    texte = re.sub(r"\bsainte\b", "ste", texte)
    return re.sub(r"\bsaint\b", "st", texte)


def euros(valeur) -> str:
    """An amount in euros the French way: 12 500 € (narrow no-break space between thousands)."""
    entier = f"{valeur:,.0f}".replace(",", "\u202f")
    return f"{entier}\u00a0€"


def taille_fichier(octets) -> str:
    """A file size in French units, as the DSFR download links write them (Ko, Mo, Go: powers
    of 1,000), one decimal with a comma under ten: "850 octets", "12 Ko", "1,5 Mo"."""
    if octets in (None, ""):
        return ""
    valeur = int(octets)
    if valeur < 1000:
        return f"{valeur}\u00a0octet{'s' if valeur > 1 else ''}"
    unites = ["Ko", "Mo", "Go", "To"]
    valeur /= 1000
    while round(valeur) >= 1000 and len(unites) > 1:
        valeur /= 1000
        unites.pop(0)
    unite = unites[0]
    chiffres = f"{valeur:.1f}".replace(".", ",") if valeur < 9.95 else f"{valeur:.0f}"
    return f"{chiffres.removesuffix(',0')}\u00a0{unite}"
