"""The staff space (dashboard, inbox, caseload) and the public "Poser une question" form."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from espace import indicateurs, services
from espace.forms import (
    AccompagnementForm,
    AttributionForm,
    BoiteFiltre,
    CaseloadFiltre,
    EtapeForm,
    QuestionForm,
    ReponseForm,
)
from espace.graphiques import graphiques_tableau
from espace.models import Accompagnement, MessageQuestion, Question
from guichet import limites, scoping
from guichet.csv_export import reponse_csv
from guichet.forms import SelectRapide, html_garde
from guichet.parametres import lire_entier
from rendezvous.models import RendezVous

# -- public ------------------------------------------------------------------------------------


def poser_question(request):
    initial = {k: request.GET[k] for k in ("profession", "situation", "sujet") if k in request.GET}
    if request.user.is_authenticated:
        initial.setdefault("courriel", request.user.email)
        initial.setdefault("profession", request.user.profession)
        initial.setdefault("situation", request.user.situation)
        if request.user.commune_interet_id:
            initial.setdefault("commune", request.user.commune_interet_id)
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        if limites.limite_atteinte(
            request,
            "question",
            par_adresse=settings.QUESTION_LIMITE_ADRESSE,
            courriel=donnees["courriel"],
            par_courriel=settings.QUESTION_LIMITE_COURRIEL,
        ):
            return limites.reponse_trop_de_tentatives(request)
        question = services.question_poser(utilisateur=request.user, **donnees)
        request.session["question_envoyee"] = question.pk
        return redirect("question:envoyee")
    return render(
        request,
        "espace/poser_question.html",
        {"form": form, "conservation_mois": settings.RGPD_CONSERVATION["questions_mois"]},
    )


def question_envoyee(request):
    pk = request.session.get("question_envoyee")
    question = Question.objects.select_related("departement").filter(pk=pk).first()
    if question is None:
        return redirect("question:poser")
    return render(request, "espace/question_envoyee.html", {"question": question})


# -- staff -------------------------------------------------------------------------------------


def staff_requis(vue):
    """Staff only: anonymous users go to the login page, others get a 403."""

    @functools.wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return vue(request, *args, **kwargs)

    return enveloppe


def _perimetre(request):
    choix = indicateurs.perimetres_possibles(request.user)
    cle = request.GET.get("perimetre", "tout")
    return next((p for p in choix if p.cle == cle), choix[0]), choix


def _select_perimetre(perimetre, choix) -> str:
    """The territory select, rendered in Python: a national agent has some 120 choices, a
    template loop over them costs several milliseconds on each display."""
    return SelectRapide(
        attrs={"class": "fr-select", "id": "choix-perimetre"},
        choices=[(p.cle, p.libelle) for p in choix],
    ).render("perimetre", perimetre.cle)


def _annee(request) -> int:
    courante = timezone.localdate().year
    return lire_entier(request.GET.get("annee"), minimum=2000, maximum=courante) or courante


@staff_requis
def tableau_de_bord(request):
    perimetre, choix = _perimetre(request)
    annee = _annee(request)
    figures = indicateurs.tableau(request.user, perimetre, annee)
    return render(
        request,
        "espace/tableau_de_bord.html",
        {
            "perimetre": perimetre,
            "select_perimetre": _select_perimetre(perimetre, choix),
            "annee": annee,
            "annees": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            **figures,
            "graphiques": graphiques_tableau(figures["actuelle"], figures["precedente"]),
        },
    )


LIGNES_TABLEAU = [
    ("Questions reçues", "questions_recues"),
    ("Questions répondues", "questions_repondues"),
    ("Délai médian de réponse (heures)", "delai_median_heures"),
    ("Rendez-vous", "rendezvous"),
    ("Rendez-vous honorés", "rendezvous_honores"),
    ("Rendez-vous non honorés", "rendezvous_absents"),
    ("Professionnels accompagnés (premier contact dans l'année)", "accompagnes"),
    ("dont installés", "dont_installes"),
    ("dont en projet", "dont_en_projet"),
    ("Installations dans l'année", "installations"),
    ("Délai médian du premier contact à l'installation (jours)", "jours_median_installation"),
    ("Simulations d'aides", "simulations"),
    ("Pages d'aides consultées", "aides_vues"),
]


@staff_requis
def tableau_de_bord_csv(request):
    perimetre, _ = _perimetre(request)
    annee = _annee(request)
    actuelle, precedente = indicateurs.calculer_annees(request.user, perimetre, [annee, annee - 1])[
        0
    ]
    lignes = [
        [libelle, getattr(actuelle, attribut), getattr(precedente, attribut)]
        for libelle, attribut in LIGNES_TABLEAU
    ]
    lignes += [[f"Accompagnés : {p}", n, ""] for p, n, _i in actuelle.par_profession]
    lignes += [[f"Accompagnés : {t}", n, ""] for t, n, _i in actuelle.par_territoire]
    return reponse_csv(
        f"tableau-de-bord-{perimetre.cle}-{annee}.csv",
        [f"Indicateur ({perimetre.libelle})", str(annee), str(annee - 1)],
        lignes,
    )


@staff_requis
def boite(request):
    filtre = BoiteFiltre(request.GET or None)
    questions = filtre.filtrer(Question.objects.pour_perimetre(request.user), request.user)
    page = Paginator(questions.pour_liste().order_by("echeance", "recue_le"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "espace/boite.html", {"filtre": html_garde(filtre), "page_obj": page})


def _question(request, pk) -> Question:
    return get_object_or_404(Question.objects.pour_perimetre(request.user).pour_boite(), pk=pk)


@staff_requis
def question(request, pk):
    question = _question(request, pk)
    form = ReponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reponse = services.question_repondre(
                question=question, auteur=request.user, **form.cleaned_data
            )
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            if reponse.envoi_reussi:
                messages.success(request, "La réponse a été envoyée par courriel.")
            else:
                messages.warning(request, "La réponse est enregistrée mais le courriel a échoué.")
            return redirect(question)
    return render(
        request,
        "espace/question.html",
        {
            "question": question,
            "fil": MessageQuestion.objects.filter(question=question).select_related("auteur"),
            "form": form,
            "attribution": AttributionForm(
                initial={"referent": question.referent_id}, question=question
            ),
        },
    )


@staff_requis
@require_POST
def question_action(request, pk, action):
    question = _question(request, pk)
    try:
        if action == "prendre":
            question.prendre_en_charge(request.user)
        elif action == "clore":
            question.clore()
        elif action == "rouvrir":
            question.rouvrir()
        elif action == "attribuer":
            form = AttributionForm(request.POST, question=question)
            if not form.is_valid():
                raise ValidationError("Choisissez une personne de l'équipe de ce territoire.")
            question.assigner(form.cleaned_data["referent"])
        else:
            raise ValidationError("Action inconnue.")
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        question.save()
        messages.success(request, "La question est à jour.")
    return redirect(question)


@staff_requis
@require_POST
def question_accompagnement(request, pk):
    question = _question(request, pk)
    accompagnement = services.accompagnement_depuis_question(question=question, par=request.user)
    messages.success(request, "L'accompagnement est ouvert.")
    return redirect(accompagnement)


@staff_requis
@require_POST
def rendezvous_accompagnement(request, uuid):
    rdvs = scoping.lecture(RendezVous.objects.select_related("lieu__departement"), request.user)
    rdv = get_object_or_404(rdvs, uuid=uuid)
    accompagnement = services.accompagnement_depuis_rendezvous(rdv=rdv, par=request.user)
    messages.success(request, "L'accompagnement est ouvert.")
    return redirect(accompagnement)


COLONNES_CASELOAD = [
    "nom", "courriel", "profession", "departement", "commune_envisagee", "etape",
    "premier_contact_le", "installe_le", "commune_installation", "aides_obtenues", "referent",
]  # fmt: skip


@staff_requis
def accompagnements(request):
    filtre = CaseloadFiltre(request.GET or None, user=request.user)
    qs = filtre.filtrer(Accompagnement.objects.pour_perimetre(request.user)).pour_liste()
    if request.GET.get("format") == "csv":
        return _caseload_csv(qs)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "csv"
    return render(
        request,
        "espace/accompagnements.html",
        {"filtre": filtre, "page_obj": page, "params_csv": params.urlencode()},
    )


def _caseload_csv(qs):
    lignes = (
        [
            a.nom,
            a.courriel,
            a.get_profession_display(),
            a.departement_id,
            a.commune_cible.nom if a.commune_cible else "",
            a.get_etape_display(),
            a.premier_contact_le,
            a.installe_le,
            a.commune_installation.nom if a.commune_installation else "",
            ", ".join(aide.nom for aide in a.aides.all()),
            str(a.referent) if a.referent else "",
        ]
        for a in qs.select_related("commune_installation").prefetch_related("aides")
    )
    return reponse_csv("accompagnements.csv", COLONNES_CASELOAD, lignes)


def _accompagnement(request, pk) -> Accompagnement:
    return get_object_or_404(
        Accompagnement.objects.pour_perimetre(request.user)
        .pour_liste()
        .select_related("commune_installation", "utilisateur", "plan__parcours")
        .prefetch_related(
            "aides",
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("region").order_by("-recue_le"),
            ),
        ),
        pk=pk,
    )


@staff_requis
def accompagnement(request, pk):
    accompagnement = _accompagnement(request, pk)
    form = EtapeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accompagnement_changer_etape(
                accompagnement=accompagnement, par=request.user, **form.cleaned_data
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, "L'étape est enregistrée.")
            return redirect(accompagnement)
    return render(
        request,
        "espace/accompagnement.html",
        {
            "accompagnement": accompagnement,
            "form": form,
            "changements": accompagnement.changements.select_related("par"),
            "rendezvous": accompagnement.rendezvous(request.user)[:20],
            "rendezvous_lisibles": scoping.peut_lire(RendezVous, request.user),
        },
    )


@staff_requis
def accompagnement_modifier(request, pk=None):
    instance = _accompagnement(request, pk) if pk else None
    form = AccompagnementForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        if instance is None:
            donnees = dict(form.cleaned_data)
            aides = donnees.pop("aides")
            donnees["region_id"] = donnees["departement"].region_id
            nouveau = services.accompagnement_ouvrir(par=request.user, **donnees)
            nouveau.aides.set(aides)
            messages.success(request, "L'accompagnement est créé.")
            return redirect(nouveau)
        objet = form.save(commit=False)
        objet.region_id = objet.departement.region_id
        objet.save()
        form.save_m2m()
        messages.success(request, "L'accompagnement est enregistré.")
        return redirect(objet)
    return render(
        request,
        "espace/accompagnement_modifier.html",
        {"form": form, "accompagnement": instance},
    )
