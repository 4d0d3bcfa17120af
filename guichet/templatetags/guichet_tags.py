from django import template
from django.utils.html import format_html

from guichet import fuseaux, grammaire
from guichet.text import euros as format_euros
from guichet.text import markdown_sur, taille_fichier

register = template.Library()


@register.simple_tag
def horaire(moment, fuseau, format_="j F Y à H:i"):
    """A moment as the clock reads it in ``fuseau`` (a ZoneInfo), whatever the active zone:
    ``{% horaire question.recue_le question.fuseau "j M Y H:i" %}``."""
    if moment is None:
        return ""
    return fuseaux.horaire(moment, fuseau, format_)


@register.simple_tag
def lien_fil(titre, url=None):
    """One item of the breadcrumb (components/_breadcrumb.html, the portal's only breadcrumb
    markup): a link, or without ``url`` the current page."""
    if url:
        return format_html('<li><a class="fr-breadcrumb__link" href="{}">{}</a></li>', url, titre)
    return format_html('<li><a class="fr-breadcrumb__link" aria-current="page">{}</a></li>', titre)


@register.filter
def markdown(texte):
    """Staff Markdown rendered and sanitised (nh3)."""
    return markdown_sur(texte)


@register.filter
def euros(valeur):
    return "" if valeur in (None, "") else format_euros(valeur)


@register.filter
def pages_affichees(page_obj):
    """Page numbers around the current one and at both ends, "…" for the gaps (7 to 11 links
    however many pages there are)."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.filter
def nombre(valeur):
    """An integer the French way: 59 854 (narrow no-break space between thousands)."""
    if valeur in (None, ""):
        return ""
    return f"{int(valeur):,}".replace(",", "\u202f")


@register.filter
def de_nom(nom):
    """``{{ referent.nom|de_nom }}``: "d'Alix Martin", "de Camille Roy"."""
    return grammaire.de_nom(str(nom))


@register.filter
def de_commune(nom):
    """ "du Lamentin", "de Niort", "d'Angers": a commune's name after "de"."""
    return grammaire.de_commune(str(nom))


@register.filter
def a_commune(nom):
    """ "au Lamentin", "à Niort": a commune's name after "à"."""
    return grammaire.a_commune(str(nom))


@register.filter
def taille(octets):
    """A file size in French units: "1,5 Mo" (Django's filesizeformat writes "Mio")."""
    return taille_fichier(octets)


@register.filter
def date_longue(jour):
    """ "1er janvier 2025": the French ordinal for the first of the month."""
    return grammaire.date_longue(jour)


@register.filter
def fonction_referent(genre, article=""):
    """ "référente installation" agreed with a ``Genre`` value; ``"le"`` or ``"du"`` adds the
    article."""
    return grammaire.fonction_referent(genre or "", article=article)


@register.filter
def de_departement(departement):
    """ "des Deux-Sèvres", "de la Martinique": the département's name after "de"."""
    return grammaire.de_departement(departement.code, departement.nom)


@register.filter
def commune_ecrite(champ):
    """A CommuneField rendered by hand: the names of its two inputs and what they hold (the
    INSEE code of the commune the portal knows, the text shown to the person)."""
    from guichet.forms import SUFFIXE_SAISIE

    code, texte = champ.field.widget.commune_ecrite(champ.value())
    return {
        "nom": champ.html_name,
        "nom_saisie": champ.html_name + SUFFIXE_SAISIE,
        "code": code,
        "texte": texte,
    }
