from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from guichet.limites import limiter
from guichet.models import Region
from guichet.suites import suites_pour
from guichet.vocabulaire import Profession
from installation import calendrier, rendu, services, telechargements
from installation.filters import DocumentFilterSet
from installation.forms import ContactsForm, DepartementForm, PlanCommencerForm, SuiviEtapeForm
from installation.models import (
    Actualite,
    Contact,
    Document,
    Etape,
    Evenement,
    Parcours,
    Plan,
)

DOCUMENTS_PAR_PAGE = 20


def _departement(request, formulaire=None):
    """The département chosen in the page's form, else the one of the user's profile."""
    formulaire = formulaire or DepartementForm
    form = formulaire(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["departement"]:
        return form, form.cleaned_data["departement"]
    departement = None
    if request.user.is_authenticated and request.user.departement_interet_id:
        departement = request.user.departement_interet
        form = formulaire(initial={"departement": departement})
    return form, departement


def accueil(request):
    form, departement = _departement(request)
    parcours = Parcours.objects.publies().pour_departement(departement).avec_nombre_etapes()
    actualites = (
        Actualite.objects.publiees()
        .pour_departement(departement)
        .select_related("region", "departement")[:3]
    )
    return render(
        request,
        "installation/accueil.html",
        {
            "form": form,
            "departement": departement,
            "parcours_liste": parcours,
            "actualites": actualites,
        },
    )


def parcours(request, slug):
    # Steps, contacts and documents are kept per content version, day and département.
    memoire = rendu.fragments()
    form, departement = _departement(request)
    page = rendu.page_parcours(slug, departement, memoire)
    if page is None:
        raise Http404
    plan = None
    if request.user.is_authenticated:
        plan = (
            Plan.objects.filter(utilisateur=request.user, parcours=page["parcours"])
            .select_related("commune")
            .first()
        )
    commune = request.user.commune_interet if request.user.is_authenticated else None
    return render(
        request,
        "installation/parcours.html",
        {
            **page,
            "form_html": rendu.formulaire(form, memoire),
            "plan": plan,
            "form_plan": PlanCommencerForm(initial={"commune": commune}),
            "suites": suites_pour(
                profession=page["parcours"].profession,
                commune=plan.commune if plan else commune,
                departement=departement,
            ),
        },
    )


def etape(request, slug, etape_slug):
    memoire = rendu.fragments()
    form, departement = _departement(request)
    page = rendu.page_etape(slug, etape_slug, departement, form, memoire)
    if page is None:
        raise Http404
    return render(request, "installation/etape.html", page)


@require_GET
def dossier_zip(request, slug):
    parcours = get_object_or_404(Parcours.objects.publies(), slug=slug)
    _, departement = _departement(request)
    documents = list(parcours.documents_pour(departement))
    if not documents:
        raise Http404
    return telechargements.reponse_zip(documents, f"dossier-{parcours.slug}.zip")


def contacts(request):
    form, departement = _departement(request, ContactsForm)
    profession = form.cleaned_data.get("profession") if form.is_bound and form.is_valid() else ""
    organisations = []
    if departement:
        liste = Contact.objects.pour_departement(departement)
        if profession:
            liste = liste.pour_profession(profession)
        organisations = [
            (org, list(groupe))
            for org, groupe in groupby(liste.pour_liste(), key=lambda c: c.organisation)
        ]
    return render(
        request,
        "installation/contacts.html",
        {
            "form": form,
            "departement": departement,
            "organisations": organisations,
            "profession_libelle": Profession(profession).label if profession else "",
            "fictifs": any(c.fictif for _, groupe in organisations for c in groupe),
        },
    )


def documents(request):
    filtre = DocumentFilterSet(request.GET, queryset=Document.objects.publies().pour_liste())
    documents = filtre.qs if filtre.is_valid() else Document.objects.none()
    page = Paginator(documents, DOCUMENTS_PAR_PAGE).get_page(request.GET.get("page"))
    if request.user.is_authenticated:
        page.object_list = list(page.object_list)
        services.documents_relier_plans(documents=page.object_list, utilisateur=request.user)
    return render(request, "installation/documents.html", {"filtre": filtre, "page_obj": page})


@require_GET
def document_telecharger(request, pk, nom):
    document = get_object_or_404(Document.objects.publies(), pk=pk)
    if nom != document.nom_fichier:
        return redirect(document.get_absolute_url(), permanent=True)
    return telechargements.reponse_document(document)


# -- personal plan --------------------------------------------------------------------------


@login_required
def mon_plan(request):
    plans = list(
        Plan.objects.filter(utilisateur=request.user).select_related("parcours", "commune")
    )
    if len(plans) == 1:
        return redirect(plans[0])
    return render(
        request,
        "installation/mon_plan.html",
        {"plans": plans, "parcours_liste": Parcours.objects.publies().nationaux()},
    )


def _plan_de(request, pk) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("parcours", "commune__departement", "utilisateur"),
        pk=pk,
        utilisateur=request.user,
    )


@login_required
def plan(request, pk):
    # The user's plans in one query: this one, and the others listed beside it.
    plans = list(
        Plan.objects.filter(utilisateur=request.user).select_related(
            "parcours", "commune__departement"
        )
    )
    plan = next((p for p in plans if p.pk == pk), None)
    if plan is None:
        raise Http404
    plan.utilisateur = request.user
    contenu = services.plan_contenu(plan)
    return render(
        request,
        "installation/plan.html",
        {
            **contenu,
            **rendu.colonne_du_plan(contenu),
            "champs_suivi": SuiviEtapeForm.base_fields,
            "imprimable": False,
            "autres_plans": [p for p in plans if p.pk != plan.pk],
            "form_plan": PlanCommencerForm(initial={"commune": plan.commune}),
        },
    )


@login_required
@limiter("plan_pdf", par_adresse="30/h", par_compte="20/h", methodes=("GET",))
def plan_pdf(request, pk):
    plan = _plan_de(request, pk)
    response = HttpResponse(services.plan_pdf(plan=plan), content_type="application/pdf")
    nom = f"mon-plan-d-installation-{slugify(plan.commune.nom)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


@login_required
@limiter("plan_pdf", par_adresse="30/h", par_compte="20/h", methodes=("GET",))
def plan_csv(request, pk):
    plan = _plan_de(request, pk)
    response = HttpResponse(
        services.calendrier_csv(parcours=plan.parcours, plan=plan),
        content_type="text/csv; charset=utf-8",
    )
    nom = f"calendrier-mon-plan-{slugify(plan.commune.nom)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


@login_required
@require_POST
@limiter("plan_etape", par_adresse="300/h", par_compte="200/h")
def plan_etape(request, pk, etape_pk):
    plan = _plan_de(request, pk)
    etape = get_object_or_404(Etape, pk=etape_pk, parcours=plan.parcours)
    form = SuiviEtapeForm(request.POST)
    if form.is_valid():
        services.etape_suivre(plan=plan, etape=etape, **form.cleaned_data)
        etat = "faite" if form.cleaned_data["fait"] else "à faire"
        messages.success(request, f"Étape « {etape.titre} » enregistrée : {etat}.")
    else:
        messages.error(request, "La date saisie n'est pas valide : l'étape n'a pas été modifiée.")
    return redirect(f"{plan.get_absolute_url()}#etape-{etape.pk}")


@login_required
@limiter("plan_commencer", par_adresse="30/h", par_compte="20/h")
def plan_commencer(request, slug):
    parcours = get_object_or_404(Parcours.objects.publies(), slug=slug)
    if request.method != "POST":
        return redirect(f"{parcours.get_absolute_url()}#mon-plan")
    form = PlanCommencerForm(request.POST)
    if not form.is_valid():
        return render(
            request, "installation/plan_commencer.html", {"parcours": parcours, "form_plan": form}
        )
    plan = services.plan_commencer(
        utilisateur=request.user, parcours=parcours, commune=form.cleaned_data["commune"]
    )
    messages.success(
        request, f"Votre plan « {plan} » est prêt : cochez les étapes au fil de l'eau."
    )
    return redirect(plan)


# -- agenda ---------------------------------------------------------------------------------


def agenda(request):
    region = None
    code = request.GET.get("region", "")
    if code and code.isalnum():
        region = Region.objects.filter(pk=code).first()
    evenements = Evenement.objects.publies().a_venir().pour_liste()
    if region:
        evenements = evenements.pour_region(region, avec_national=True)
    return render(
        request,
        "installation/agenda.html",
        {"evenements": evenements, "region": region, "regions": Region.objects.all()},
    )


def evenement(request, pk):
    evenement = get_object_or_404(
        Evenement.objects.publies().select_related("region", "departement__region"), pk=pk
    )
    return render(request, "installation/evenement.html", {"evenement": evenement})


def evenement_ics(request, pk):
    evenement = get_object_or_404(
        Evenement.objects.publies().select_related("region", "departement"), pk=pk
    )
    return calendrier.reponse_ics(
        [evenement], nom=f"evenement-{evenement.pk}.ics", titre=evenement.titre, request=request
    )


def region_ics(request, code):
    region = get_object_or_404(Region, pk=code if code.isalnum() else None)
    evenements = (
        Evenement.objects.publies()
        .pour_region(region, avec_national=True)
        .select_related("region", "departement")
        .order_by("debut")
    )
    return calendrier.reponse_ics(
        evenements,
        nom=f"agenda-{region.pk}.ics",
        titre=f"Installation des professionnels de santé : {region.nom}",
        request=request,
    )
