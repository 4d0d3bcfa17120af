"""Moderation in the Espace ARS: the territory's staff publish, refuse or send back a post."""

import functools
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet import scoping
from guichet.csv_export import reponse_csv
from guichet.parametres import lire_entier
from opportunites import bilan, services
from opportunites.forms import MotifForm
from opportunites.models import Opportunite, Statut


def moderateur_requis(vue):
    """Staff allowed to change posts (their scope is applied to every query below)."""

    @functools.wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not (
            user.is_active and user.is_staff and user.has_perm("opportunites.change_opportunite")
        ):
            raise PermissionDenied
        return vue(request, *args, **kwargs)

    return enveloppe


def _du_perimetre(user):
    # A draft is the author's until submitted (or sent back): staff never read it here.
    return scoping.lecture(Opportunite.objects.exclude(statut=Statut.BROUILLON), user)


@moderateur_requis
def file(request):
    qs = _du_perimetre(request.user)
    statut = request.GET.get("statut", Statut.SOUMISE)
    if statut not in Statut.values or statut == Statut.BROUILLON:
        statut = Statut.SOUMISE
    comptes = dict(qs.order_by().values_list("statut").annotate(n=Count("pk")))
    en_attente = qs.filter(statut=Statut.SOUMISE).aggregate(plus_ancienne=Min("soumise_le"))
    annonces = (
        qs.filter(statut=statut)
        .select_related("commune__departement")
        .order_by("soumise_le" if statut == Statut.SOUMISE else "-modifiee_le")
    )
    page = Paginator(annonces, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "opportunites/moderation/file.html",
        {
            "page_obj": page,
            "statut": statut,
            "onglets": [
                (s, libelle, comptes.get(s, 0))
                for s, libelle in Statut.choices
                if s != Statut.BROUILLON
            ],
            "plus_ancienne": en_attente["plus_ancienne"],
            "maintenant": timezone.now(),
        },
    )


@moderateur_requis
def annonce(request, pk):
    opportunite = get_object_or_404(
        _du_perimetre(request.user).select_related("commune__departement", "auteur"), pk=pk
    )
    return render(
        request,
        "opportunites/moderation/annonce.html",
        {
            "opportunite": opportunite,
            "refus": MotifForm(prefix="refus"),
            "modifications": MotifForm(prefix="modifications"),
        },
    )


@require_POST
@moderateur_requis
def decider(request, pk, decision):
    if decision not in {"publier", "refuser", "modifications"}:
        raise Http404
    opportunite = get_object_or_404(
        scoping.ecriture(Opportunite.objects.all(), request.user), pk=pk
    )
    prefixe = {"refuser": "refus", "modifications": "modifications"}.get(decision)
    form = MotifForm(request.POST, prefix=prefixe) if prefixe else None
    if form is not None and not form.is_valid():
        contexte = {
            "opportunite": opportunite,
            "refus": MotifForm(prefix="refus"),
            "modifications": MotifForm(prefix="modifications"),
            prefixe: form,
        }
        return render(request, "opportunites/moderation/annonce.html", contexte, status=400)
    try:
        if decision == "publier":
            services.opportunite_publier(opportunite=opportunite, moderateur=request.user)
            messages.success(request, "Annonce publiée ; son auteur est prévenu par courriel.")
        elif decision == "refuser":
            services.opportunite_refuser(
                opportunite=opportunite, moderateur=request.user, motif=form.cleaned_data["texte"]
            )
            messages.success(request, "Annonce refusée ; le motif est envoyé à son auteur.")
        else:
            services.opportunite_demander_modifications(
                opportunite=opportunite, moderateur=request.user, message=form.cleaned_data["texte"]
            )
            messages.success(request, "Annonce renvoyée à son auteur avec vos demandes.")
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
        return redirect("opportunites_moderation:annonce", pk=opportunite.pk)
    return redirect("opportunites_moderation:file")


# -- figures: this year against the one before, per scope ---------------------------------------


CODE_DEPARTEMENT = re.compile(r"\A[0-9AB]{2,3}\Z")


def _bilan(request):
    courante = timezone.localdate().year
    annee = lire_entier(request.GET.get("annee"), minimum=2000, maximum=courante) or courante
    departements = scoping.departements_du_perimetre(request.user).order_by("code")
    code = request.GET.get("departement") or ""
    # A département code is 2 or 3 letters and digits (2A, 974): anything else means none.
    departement = departements.filter(code=code).first() if CODE_DEPARTEMENT.match(code) else None
    qs = bilan.du_perimetre(request.user, departement)
    return {
        "annee": annee,
        "annees": range(courante, courante - 5, -1),
        "departements": departements,
        "departement": departement,
        "actuelle": bilan.chiffres(qs, annee),
        "precedente": bilan.chiffres(qs, annee - 1),
        "par_profession": bilan.par_profession(qs, annee),
        "par_territoire": bilan.par_territoire(qs, annee),
    }


@moderateur_requis
def tableau(request):
    return render(request, "opportunites/moderation/bilan.html", _bilan(request))


@moderateur_requis
def tableau_csv(request):
    b = _bilan(request)
    a, p = b["actuelle"], b["precedente"]
    lignes = [
        ["Annonces publiées", a.publiees, p.publiees],
        ["Annonces pourvues", a.pourvues, p.pourvues],
        ["Délai médian pour pourvoir (jours)", _jours(a), _jours(p)],
    ]
    lignes += [[f"Publiées : {nom}", n, ""] for nom, n, _f in b["par_profession"]]
    lignes += [[f"Pourvues : {nom}", f, ""] for nom, _n, f in b["par_profession"]]
    lignes += [[f"Publiées : {nom}", n, ""] for nom, n, _f in b["par_territoire"]]
    lignes += [[f"Pourvues : {nom}", f, ""] for nom, _n, f in b["par_territoire"]]
    cle = b["departement"].code if b["departement"] else "perimetre"
    return reponse_csv(
        f"opportunites-{cle}-{b['annee']}.csv",
        ["Indicateur", str(b["annee"]), str(b["annee"] - 1)],
        lignes,
    )


def _jours(chiffres) -> str:
    return "" if chiffres.jours_median is None else str(round(chiffres.jours_median))
