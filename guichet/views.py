import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guichet import fiche_commune, publics, rgpd
from guichet import recherche as moteur
from guichet.forms import ProfilForm, SuppressionCompteForm
from guichet.grammaire import de_departement
from guichet.models import Commune, PageEditoriale
from guichet.navigation import PUBLICS
from guichet.vocabulaire import Public

logger = logging.getLogger(__name__)


def accueil(request):
    intro = PageEditoriale.objects.publies().filter(cle=PageEditoriale.Cle.ACCUEIL).first()
    return render(request, "guichet/accueil.html", {"intro": intro, "publics": PUBLICS})


def page_editoriale(request, cle):
    page = get_object_or_404(PageEditoriale.objects.publies(), cle=cle)
    contexte = {"page": page}
    if cle == PageEditoriale.Cle.DONNEES_PERSONNELLES:
        # Generated from the settings the purge applies: the page cannot drift from practice.
        contexte["conservation"] = settings.RGPD_CONSERVATION
        contexte["contact_dpo"] = settings.RGPD_CONTACT_DPO
    return render(request, "guichet/page_editoriale.html", contexte)


def espace_public(request, public):
    page = get_object_or_404(PageEditoriale.objects.publies(), cle=public)
    espace = next(p for p in PUBLICS if p["cle"] == public)
    return render(
        request,
        "guichet/espace_public.html",
        {"page": page, "espace": espace, **publics.contenu_pour(public)},
    )


def plan_du_site(request):
    page = PageEditoriale.objects.publies().filter(cle=PageEditoriale.Cle.PLAN_DU_SITE).first()
    pages = PageEditoriale.objects.publies().exclude(
        cle__in=[PageEditoriale.Cle.PLAN_DU_SITE, PageEditoriale.Cle.ACCUEIL, *Public.values]
    )
    return render(
        request, "guichet/plan_du_site.html", {"page": page, "pages": pages, "publics": PUBLICS}
    )


def commune(request, code):
    """Everything the portal knows about one commune, for a mayor, a professional, a referent."""
    fiche = get_object_or_404(Commune.objects.select_related("departement__region"), code=code)
    return render(
        request,
        "guichet/commune.html",
        {
            "commune": fiche,
            "sections": fiche_commune.sections_pour(fiche),
            "de_departement": de_departement(fiche.departement.code, fiche.departement.nom),
        },
    )


@require_GET
def communes(request):
    """Commune search for autocompletes: JSON, at most 20 results."""
    q = request.GET.get("q", "")[:80]
    resultats = Commune.objects.recherche(q).select_related("departement")
    return JsonResponse(
        {
            "resultats": [
                {
                    "code": c.code,
                    "nom": c.nom,
                    "codes_postaux": c.codes_postaux,
                    "departement": {"code": c.departement.code, "nom": c.departement.nom},
                    "libelle": c.libelle,
                    "url": reverse("guichet:commune", args=[c.code]),
                }
                for c in resultats
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


def recherche(request):
    q = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    commune_unique = moteur.commune_evidente(q) if q and "tout" not in request.GET else None
    if commune_unique:
        # A mayor typing his commune's name lands on its page.
        return redirect("guichet:commune", code=commune_unique.code)
    resultats = moteur.rechercher(q) if q else []
    return render(request, "guichet/recherche.html", {"q": q, "resultats": resultats})


@login_required
def mon_compte(request):
    form = ProfilForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Votre profil a été enregistré.")
        return redirect("guichet:mon_compte")
    return render(
        request,
        "guichet/mon_compte.html",
        {
            "form": form,
            "simulations": request.user.simulations.all(),
            "rendezvous": request.user.rendezvous.select_related(
                "motif", "lieu__departement__region"
            ).order_by("-debut")[:20],
        },
    )


@login_required
@require_GET
def mes_donnees(request):
    """Right of access: everything held about the user, as a JSON download."""
    reponse = JsonResponse(
        rgpd.exporter_donnees(request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    reponse["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return reponse


@login_required
def supprimer_mon_compte(request):
    """Right to erasure: the person confirms with their password; staff go through the admin."""
    if request.user.is_staff:
        messages.error(request, "Un compte d'agent se supprime par l'administration nationale.")
        return redirect("guichet:mon_compte")
    form = SuppressionCompteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        rgpd.supprimer_compte(user)
        messages.success(request, "Votre compte et vos données ont été supprimés.")
        return redirect("guichet:accueil")
    return render(
        request,
        "guichet/supprimer_compte.html",
        {"form": form, "conservation": settings.RGPD_CONSERVATION},
    )


@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def erreur_403(request, exception=None):
    return render(request, "403.html", status=403)


def erreur_404(request, exception=None):
    return render(request, "404.html", status=404)


def erreur_500(request):
    try:
        html = loader.render_to_string("500.html", request=request)
    except Exception:  # the error page must never fail itself
        logger.exception("La page d'erreur 500 n'a pas pu être affichée.")
        html = "<h1>Erreur du serveur</h1><p>Veuillez réessayer plus tard.</p>"
    return HttpResponse(html, status=500)
