"""What the aid list keeps per content version and day (guichet.cache): cards, results, form.

An aid's card shows only the aid, its financers and the date (closed, ends soon, starts
later): kept under the "aides" content version and today's date, a list page renders only the
cards it has not seen since the last write. Cards are rendered without the
request: no CSRF token or CSP nonce can end up in them.
"""

from collections.abc import Callable

from django.template.loader import get_template
from django.utils.safestring import mark_safe

from aides import eligibilite
from aides.models import Aide
from guichet.cache import Fragments
from guichet.forms import SUFFIXE_SAISIE, CommuneField
from guichet.vocabulaire import Profession, Situation

# Kept per process under the content versions (guichet.cache; budgets in
# settings.MEMOIRE_PROCESSUS, "aides.*").


def cartes(pks: list[int], fragments: Fragments) -> list[str]:
    """The cards of these aids, in this order (aids that no longer exist are left out)."""
    memoire = fragments.espace("aides.cartes")
    manquants = [pk for pk in pks if memoire.get(pk) is None]
    if manquants:
        gabarit = get_template("aides/_carte_aide.html")
        for aide in Aide.objects.filter(pk__in=manquants).pour_cartes().pour_liste():
            memoire.set(aide.pk, mark_safe(gabarit.render({"aide": aide})))  # noqa: S308
    return [carte for carte in (memoire.get(pk) for pk in pks) if carte is not None]


def resultats(filtre, fragments: Fragments) -> list[int]:
    """The keys of the aids a valid filter selects, in page order, per filter values.

    The values are the cleaned ones (a commune by its code), so equivalent URLs share them.
    """
    memoire = fragments.espace("aides.resultats")
    cle = tuple(sorted((nom, _cle(valeur)) for nom, valeur in filtre.form.cleaned_data.items()))
    pks = memoire.get(cle)
    if pks is None:
        pks = list(filtre.qs.values_list("pk", flat=True))
        memoire.set(cle, pks)
    return pks


def formulaire(filtre, fragments: Fragments) -> str:
    """The filter form's HTML, per submitted values (errors and choices follow from them and
    from the content: financers and territories are tables of the "aides" version)."""
    memoire = fragments.espace("aides.formulaire")
    donnees = filtre.form.data
    noms = [
        *filtre.form.fields,
        *(
            f"{nom}{SUFFIXE_SAISIE}"
            for nom, champ in filtre.form.fields.items()
            if isinstance(champ, CommuneField)
        ),
    ]
    cle = tuple(
        (nom, tuple(donnees.getlist(nom)) if hasattr(donnees, "getlist") else donnees.get(nom))
        for nom in noms
    )
    html = memoire.get(cle)
    if html is None:
        html = str(filtre.form)
        memoire.set(cle, html)
    return html


def _cle(valeur):
    return getattr(valeur, "pk", valeur)


def resultat_simulation(
    parametres: str, projet: Callable[[], eligibilite.Projet], fragments: Fragments
) -> str:
    """The simulator's result (sentence, zoning, eligible aids, near misses) as HTML, per
    answers (``parametres``, the commune by its code), content version and day: the commune's
    zoning is a table of the "aides" version, and a closed aid drops out the next day.
    ``projet`` builds the project (a query for the zoning) only when the result is not kept."""
    memoire = fragments.espace("aides.simulations")
    html = memoire.get(parametres)
    if html is None:
        projet = projet()
        html = get_template("aides/_simulation_resultats.html").render(
            {
                "projet": projet,
                "simulation": eligibilite.simuler(projet),
                "profession_libelle": Profession(projet.profession).label,
                "situation_libelle": Situation(projet.situation).label,
                "parametres": parametres,
            }
        )
        html = mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
        memoire.set(parametres, html)
    return html


def aide_publiee(slug: str, fragments: Fragments) -> tuple[Aide | None, str]:
    """A published aid (with its territories, which the view counter reads) and its page's
    content, per content version and day; ``(None, "")`` when no published aid has this slug.

    Under the aids and installation counters: the page lists the aid's documents.
    """
    memoire = fragments.espace("aides.pages")
    page = memoire.get(slug)
    if page is None:
        aide = (
            Aide.objects.publiees()
            .pour_liste()
            .prefetch_related("regions", "departements")
            .filter(slug=slug)
            .first()
        )
        page = (aide, contenu_aide(aide)) if aide else (None, "")
        memoire.set(slug, page)
    return page


def contenu_aide(aide: Aide) -> str:
    """The aid page below its breadcrumb, rendered without the request (no token, no nonce)."""
    financements = list(aide.financements.all())
    html = get_template("aides/_detail.html").render(
        {
            "aide": aide,
            "financeurs": [f.organisation for f in financements if f.role == "financeur"],
            "instructeurs": [f.organisation for f in financements if f.role == "instructeur"],
            "liees": list(aide.liees.publiees().order_by("nom")),
            "documents": list(aide.documents.publies().select_related("region", "departement")),
            "territoires": list(aide.regions.all())
            + list(aide.departements.all())
            + list(aide.communes.all()),
        }
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
