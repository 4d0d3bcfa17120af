import logging

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from demographie import editions, rendu, services
from demographie import rapport as rapports
from demographie.forms import ChoixForm, TerritoireForm
from demographie.models import Bulletin, Effectif, Niveau
from demographie.territoires import TerritoireInconnu, trouver
from guichet.models import Region

logger = logging.getLogger(__name__)


def _territoire(niveau, code):
    try:
        return trouver(niveau, code)
    except TerritoireInconnu as exc:
        raise Http404("Territoire inconnu") from exc


@require_GET
def accueil(request):
    form = TerritoireForm(request.GET or None)
    if request.GET and form.is_valid():
        niveau, code = form.cleaned_data["cible"]
        url = reverse("demographie:territoire", kwargs={"niveau": niveau, "code": code})
        return redirect(f"{url}?profession={form.cleaned_data['profession']}")
    regions = Region.objects.order_by("nom")
    return render(request, "demographie/accueil.html", {"form": form, "regions": regions})


def _choix(request) -> tuple[int | None, str | None]:
    """The year and profession asked for; invalid values fall back to the defaults (None)."""
    form = ChoixForm(request.GET or None)
    if not form.is_valid():
        return None, None
    return form.cleaned_data.get("annee"), form.cleaned_data.get("profession") or None


@require_GET
def territoire(request, niveau, code):
    # The content is kept per demography content version, territory, year and profession.
    page = rendu.page_territoire(_territoire, niveau, code, *_choix(request))
    return render(request, "demographie/territoire.html", page)


@require_GET
def territoire_csv(request, niveau, code):
    annee, profession = _choix(request)
    rapport = rapports.construire(_territoire(niveau, code), annee=annee, profession=profession)
    response = HttpResponse(rapports.exporter_csv(rapport), content_type="text/csv; charset=utf-8")
    nom = f"demographie-{niveau}-{code}-{rapport.annee or 'sans-donnees'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


def _servir_bulletin(request, bulletin, fichier):
    """A stored bulletin, with an ETag and a public cache lifetime (a published edition never
    changes; the current edition changes at most when the job renders it again)."""
    etag = f'"{bulletin.pk}-{"p" if bulletin.est_publie else bulletin.version_donnees}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(fichier.open("rb"), content_type="application/pdf")
        nom = f"bulletin-{bulletin.annee}-{bulletin.niveau}-{bulletin.code_territoire}.pdf"
        response["Content-Disposition"] = f'inline; filename="{nom}"'
    response["ETag"] = etag
    duree = 86400 if bulletin.est_publie else 900
    response["Cache-Control"] = f"public, max-age={duree}"
    return response


@require_GET
def bulletin_pdf(request, annee, niveau, code):
    """Serve a stored edition. An anonymous request never renders a PDF (15 s of a worker):
    the scheduled job renders them; a staff member's first request renders and stores it."""
    bulletin = Bulletin.objects.filter(annee=annee, niveau=niveau, code_territoire=code).first()
    if bulletin is not None and bulletin.fichier_a_servir:
        try:
            return _servir_bulletin(request, bulletin, bulletin.fichier_a_servir)
        except FileNotFoundError:  # lost from the storage: as if never generated
            logger.error(
                "Bulletin %s : fichier %s absent du stockage.",
                bulletin.pk,
                bulletin.fichier_a_servir.name,
            )
            if bulletin.est_publie:
                raise Http404("Fichier du bulletin introuvable") from None
            Bulletin.objects.filter(pk=bulletin.pk).update(edition="", version_donnees="")
            bulletin.refresh_from_db()
    t = _territoire(niveau, code)
    if not request.user.is_staff:
        contexte = {"territoire": t, "annee": annee}
        return render(request, "demographie/bulletin_indisponible.html", contexte, status=404)
    try:
        if niveau == Niveau.COMMUNE:  # commune bulletins are not stored: rendered for staff only
            contenu = services.bulletin_rendre(territoire=t, annee=annee)
            response = HttpResponse(contenu, content_type="application/pdf")
            response["Cache-Control"] = "private, no-store"
            return response
        bulletin = services.bulletin_pour(territoire=t, annee=annee)
        services.bulletin_actualiser_edition(bulletin=bulletin)
    except services.PasDeDonnees as exc:
        raise Http404("Pas de données pour cette année") from exc
    return _servir_bulletin(request, bulletin, bulletin.fichier_a_servir)


@require_GET
def dernier_bulletin(request, niveau, code):
    derniere = Effectif.objects.order_by("-annee").values_list("annee", flat=True).first()
    if derniere is None:
        return redirect("demographie:bulletins")
    return redirect("demographie:bulletin_pdf", annee=derniere, niveau=niveau, code=code)


@require_GET
def bulletins(request):
    publies = editions.liste_publiee(
        Bulletin.objects.publies().select_related("region", "departement")
    )
    fil = [{"titre": "Démographie", "url": reverse("demographie:accueil")}]
    return render(request, "demographie/bulletins.html", {"bulletins": publies, "fil": fil})
