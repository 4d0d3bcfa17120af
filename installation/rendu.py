"""What the parcours and step pages keep per content version and day (guichet.cache).

A page's content depends on the parcours, its steps, documents and contacts (the
"installation" counter), on organisations and territories (the "aides" counter), and on the
département chosen: it is kept under both counters, the date and the département. What
depends on the user (their plan, the CSRF token of its form) is rendered per request.
"""

from itertools import groupby

from django.db.models import Prefetch
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from aides.models import Aide
from guichet.cache import Fragments
from installation.models import Contact, Document, Etape, Parcours, Phase

ZONES = ("aides", "installation")
# Kept per process under the content versions (guichet.cache; budgets in
# settings.MEMOIRE_PROCESSUS, "installation.*").


def fragments() -> Fragments:
    return Fragments.pour(*ZONES)


def _html(gabarit: str, contexte: dict) -> str:
    return mark_safe(get_template(gabarit).render(contexte))  # noqa: S308 - escaped by the engine


def contacts_par_organisation(departement, organisations) -> dict:
    if departement is None:
        return {}
    contacts = (
        Contact.objects.pour_departement(departement)
        .filter(organisation__in=organisations)
        .pour_liste()
    )
    return {
        org: list(groupe)
        for org, groupe in groupby(
            sorted(contacts, key=lambda c: c.organisation_id), key=lambda c: c.organisation_id
        )
    }


def formulaire(form, memoire: Fragments) -> str:
    """A département form's HTML, per submitted values or initial département: its options
    (départements) are a table of the "aides" version."""
    espace = memoire.espace("installation.formulaires")
    cle = _cle_formulaire(form)
    html = espace.get(cle)
    if html is None:
        html = str(form)
        espace.set(cle, html)
    return html


def _cle_formulaire(form) -> tuple:
    if form.is_bound:
        valeurs = tuple((nom, tuple(form.data.getlist(nom))) for nom in form.fields)
        return (type(form).__name__, valeurs)
    return (type(form).__name__, None, getattr(form.initial.get("departement"), "pk", None))


def page_parcours(slug: str, departement, memoire: Fragments) -> dict | None:
    """The parcours and its rendered steps, contacts and documents; None when not published."""
    espace = memoire.espace("installation.parcours")
    cle = (slug, departement.pk if departement else None)
    page = espace.get(cle)
    if page is None:
        parcours = Parcours.objects.publies().filter(slug=slug).first()
        page = _page_parcours(parcours, departement) if parcours else {}
        espace.set(cle, page)
    return page or None


def _page_parcours(parcours: Parcours, departement) -> dict:
    etapes = list(
        parcours.etapes_pour(departement).prefetch_related(
            Prefetch("documents", queryset=Document.objects.publies().order_by("titre")),
        )
    )
    contacts = contacts_par_organisation(departement, {e.organisation_id for e in etapes})
    for etape in etapes:
        etape.parcours = parcours
        etape.contacts_locaux = contacts.get(etape.organisation_id, [])
    phases = [
        (Phase(code).label, list(groupe)) for code, groupe in groupby(etapes, key=lambda e: e.phase)
    ]
    contexte = {
        "parcours": parcours,
        "phases": phases,
        "nombre_etapes": len(etapes),
        "departement": departement,
        "documents": list(parcours.documents_pour(departement)),
        # Shown right under the form the user submitted, not only in the step cards.
        "contacts_du_departement": [c for groupe in contacts.values() for c in groupe],
    }
    return {
        "parcours": parcours,
        "etapes_html": _html("installation/_parcours_etapes.html", contexte),
        "contacts_html": _html("installation/_parcours_contacts.html", contexte),
        "documents_html": _html("installation/_parcours_documents.html", contexte),
    }


def etapes_et_contacts(parcours: Parcours, departement) -> tuple[list, list]:
    """A parcours' steps for a département and the département's contacts of their
    organisations, as a personal plan shows them (its follow-ups are read per request)."""
    espace = fragments().espace("installation.plans")
    cle = (parcours.pk, departement.pk if departement else None)
    trouve = espace.get(cle)
    if trouve is None:
        etapes = list(parcours.etapes_pour(departement))
        contacts = Contact.objects.pour_departement(departement).filter(
            organisation__in={e.organisation_id for e in etapes}
        )
        trouve = (etapes, list(contacts.pour_liste()))
        espace.set(cle, trouve)
    return trouve


def colonne_du_plan(contenu: dict) -> dict:
    """The side column of a plan's page: the aids of its project and the département's
    contacts, the same for every plan of that parcours, commune, profession and situation:
    rendered once under the content versions (``contenu``: ``services.plan_contenu``)."""
    plan, projet = contenu["plan"], contenu["projet"]
    espace = fragments().espace("installation.plans")
    cle = ("colonne", plan.parcours_id, plan.commune_id, projet.profession, projet.situation)
    colonne = espace.get(cle)
    if colonne is None:
        colonne = {
            "aides_html": _html("installation/_plan_aides.html", contenu),
            "contacts_html": _html("installation/_plan_contacts.html", contenu),
        }
        espace.set(cle, colonne)
    return colonne


def page_etape(slug: str, etape_slug: str, departement, form, memoire: Fragments) -> dict | None:
    """A step's page content for this département and form; None when the step is not shown
    there (unknown, unpublished parcours, or a local step of another territory)."""
    espace = memoire.espace("installation.etapes")
    cle = (slug, etape_slug, departement.pk if departement else None, _cle_formulaire(form))
    page = espace.get(cle)
    if page is None:
        page = _page_etape(slug, etape_slug, departement, formulaire(form, memoire)) or {}
        espace.set(cle, page)
    return page or None


def _page_etape(slug, etape_slug, departement, form_html) -> dict | None:
    parcours = Parcours.objects.publies().filter(slug=slug).first()
    if parcours is None:
        return None
    etape = (
        Etape.objects.select_related("organisation", "parcours")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.publies().order_by("titre")),
            Prefetch("aides", queryset=Aide.objects.publiees().order_by("nom")),
        )
        .filter(parcours=parcours, slug=etape_slug)
        .first()
    )
    if etape is None:
        return None
    etapes = list(parcours.etapes_pour(departement))
    rang = next((i for i, e in enumerate(etapes) if e.pk == etape.pk), None)
    if rang is None:  # a local step of another territory
        return None
    for e in etapes:
        e.parcours = parcours
    contacts = contacts_par_organisation(departement, [etape.organisation_id])
    contenu = _html(
        "installation/_etape.html",
        {
            "parcours": parcours,
            "etape": etape,
            "rang": rang + 1,
            "nombre_etapes": len(etapes),
            "precedente": etapes[rang - 1] if rang > 0 else None,
            "suivante": etapes[rang + 1] if rang + 1 < len(etapes) else None,
            "form_html": form_html,
            "departement": departement,
            "contacts": contacts.get(etape.organisation_id, []),
        },
    )
    return {"parcours": parcours, "etape": etape, "contenu": contenu}
