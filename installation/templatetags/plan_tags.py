"""The steps of a personal plan, written in Python: a plan has 15 to 30 steps, each with its
follow-up form; through the template engine, some thirty nodes per step cost 4 ms on each
display of the plan (the page is a signed-in one, rendered on every request), 0.5 ms here.

Every value from the database goes through ``_e`` (or a sanitiser: ``markdown_sur``,
``linebreaksbr`` with autoescape); the fixed markup is this module's own.
"""

import html
from itertools import groupby

from django import template
from django.middleware.csrf import get_token
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import mark_safe

from guichet.templatetags.dates import date
from guichet.text import markdown_sur
from installation.models import Etape

register = template.Library()

ETAPE = (
    '<li id="etape-{pk}" class="fr-mb-2w etape-plan{faite}">\n'
    '<p class="fr-mb-1v"><span class="fr-badge fr-badge--sm {badge}">{statut}</span>\n'
    "{titre}</p>\n"
    '<p class="fr-text--sm fr-mb-1v">Qui : {qui}{duree}{date}</p>\n'
    "{note}{pieces}{formulaire}</li>\n"
)
PHASE = (
    '<h3 class="fr-h5 fr-mt-3w">{phase}</h3>\n<ol class="fr-raw-list etapes-plan">\n{lignes}</ol>\n'
)
FORMULAIRE = (
    '<details class="fr-mt-1w">\n'
    '<summary>Mettre à jour<span class="fr-sr-only"> : {titre}</span></summary>\n'
    '<form method="post" action="{action}" class="fr-p-2w fr-background-alt--grey">\n'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{jeton}">\n'
    '<div class="fr-checkbox-group fr-mb-2w">\n'
    '<input type="checkbox" name="fait" id="etape-{pk}-fait"{coche}>\n'
    '<label for="etape-{pk}-fait" class="fr-label">{label_fait}</label>\n'
    "</div>\n"
    '<div class="fr-input-group">\n'
    '<label for="etape-{pk}-date" class="fr-label">{label_date}</label>\n'
    '<input type="date" name="date" class="fr-input" id="etape-{pk}-date"{valeur_date}>\n'
    "</div>\n"
    '<div class="fr-input-group">\n'
    '<label for="etape-{pk}-note" class="fr-label">{label_note}</label>\n'
    '<textarea name="note" cols="40" rows="2" maxlength="{max_note}" class="fr-input" '
    'id="etape-{pk}-note">\n{note}</textarea>\n'
    "</div>\n"
    '<button class="fr-btn fr-btn--sm" type="submit">Enregistrer'
    '<span class="fr-sr-only"> : {titre}</span></button>\n'
    "</form>\n"
    "</details>\n"
)


def _e(valeur) -> str:
    """Escaped for HTML text and attributes (the standard library's: the per-call overhead of
    Django's lazy-aware ``escape`` is most of this module's cost)."""
    return html.escape(str(valeur), quote=True)


def _formulaire(etape, action: str, jeton: str, champs) -> str:
    return FORMULAIRE.format(
        titre=_e(etape.titre),
        action=_e(action),
        jeton=_e(jeton),
        pk=_e(etape.pk),
        coche=" checked" if etape.fait else "",
        label_fait=_e(champs["fait"].label),
        label_date=_e(champs["date"].label),
        valeur_date=f' value="{_e(etape.date_suivi.isoformat())}"' if etape.date_suivi else "",
        label_note=_e(champs["note"].label),
        max_note=_e(champs["note"].max_length),
        note=_e(etape.note_suivi or ""),
    )


def _etape(etape, *, departement, imprimable: bool, action: str, jeton: str, champs, pages) -> str:
    if imprimable:
        titre = f"<strong>{_e(etape.titre)}</strong>"
    else:
        lien = f"{pages}{etape.slug}/?departement={departement.code}"
        titre = f'<a href="{_e(lien)}"><strong>{_e(etape.titre)}</strong></a>'
    note = etape.note_suivi
    return ETAPE.format(
        pk=_e(etape.pk),
        faite=" etape-plan--faite" if etape.fait else "",
        badge="fr-badge--success" if etape.fait else "fr-badge--info fr-badge--no-icon",
        statut="Fait" if etape.fait else "À faire",
        titre=titre,
        qui=_e(etape.organisation.nom),
        duree=f" — Délai : {_e(etape.duree)}" if etape.duree else "",
        date=f" — Date : {_e(date(etape.date_suivi, 'j F Y'))}" if etape.date_suivi else "",
        note=f'<p class="fr-text--sm fr-mb-1v">Mes notes : '
        f"{linebreaksbr(note, autoescape=True)}</p>\n"
        if note
        else "",
        pieces=f'<div class="pieces">Pièces à fournir :{markdown_sur(etape.pieces)}</div>\n'
        if imprimable and etape.pieces
        else "",
        formulaire="" if imprimable else _formulaire(etape, f"{action}{etape.pk}/", jeton, champs),
    )


@register.simple_tag(takes_context=True)
def etapes_du_plan(context):
    """The plan's steps grouped by phase, each with its status, its follow-up and (on the
    page) the form to update it; on the printable plan, the documents to provide."""
    plan, departement = context["plan"], context["departement"]
    imprimable = context.get("imprimable", False)
    requete = context.get("request")
    jeton = "" if imprimable or requete is None else get_token(requete)
    # One reverse for every step's form: the step's key is the path's last segment ("0/").
    action = "" if imprimable else reverse("installation:plan_etape", args=[plan.pk, 0])[:-2]
    champs = context.get("champs_suivi")
    etapes = context["etapes"]
    # Each step's page (``Etape.get_absolute_url``), reversed once: the step's slug ends it.
    pages = reverse("installation:etape", args=[plan.parcours.slug, "x"])[:-2]
    noms = dict(Etape._meta.get_field("phase").flatchoices)
    phases = []
    for phase, du_groupe in groupby(etapes, key=lambda e: noms.get(e.phase, e.phase)):
        options = {"departement": departement, "imprimable": imprimable, "action": action}
        options["pages"] = pages
        lignes = "".join(_etape(e, jeton=jeton, champs=champs, **options) for e in du_groupe)
        phases.append(PHASE.format(phase=_e(phase), lignes=lignes))
    return mark_safe("".join(phases))
