"""Public pages of the opportunities: list, detail, posting by signed-in users."""

import functools
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from aides.models import Aide
from guichet import limites, scoping
from guichet.csv_export import reponse_csv, reponse_json
from opportunites import alertes, donnees_ouvertes, fiche, services
from opportunites.filters import OpportuniteFilterSet
from opportunites.forms import (
    AlerteCommuneForm,
    AlerteRechercheForm,
    MessageForm,
    OpportuniteForm,
    ReponseForm,
    SignalementForm,
)
from opportunites.models import Alerte, MessageOpportunite, Opportunite, Statut


def _visible(opportunite, user) -> bool:
    """Published posts for everyone; the others for their author and the territory's staff."""
    if opportunite.en_ligne:
        return True
    if user.is_authenticated and opportunite.auteur_id == user.pk:
        return True
    return scoping.contient(scoping.lecture, opportunite, user)


def liste(request):
    filtre = OpportuniteFilterSet(
        request.GET, queryset=Opportunite.objects.publiees().select_related("commune__departement")
    )
    page = Paginator(filtre.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "opportunites/liste.html",
        {
            "filtre": filtre,
            "page_obj": page,
            "centre": filtre.centre,
            "rayon": filtre.rayon_km if filtre.centre else None,
            "form_alerte": AlerteRechercheForm(initial={"parametres": request.GET.urlencode()})
            if filtre.is_valid()
            else None,
        },
    )


def _export(request):
    filtre = OpportuniteFilterSet(request.GET, queryset=Opportunite.objects.publiees())
    if not filtre.is_valid():
        return None
    return donnees_ouvertes.lignes(filtre.qs, settings.SITE_URL)


def export_json(request):
    lignes = _export(request)
    if lignes is None:
        return HttpResponseBadRequest("Paramètres de recherche non valides.")
    return reponse_json("opportunites", lignes)


def export_csv(request):
    lignes = _export(request)
    if lignes is None:
        return HttpResponseBadRequest("Paramètres de recherche non valides.")
    cellules = (
        [
            "|".join(v) if isinstance(v, list) else v
            for v in (ligne[c] for c in donnees_ouvertes.COLONNES)
        ]
        for ligne in lignes
    )
    return reponse_csv("opportunites.csv", donnees_ouvertes.COLONNES, cellules)


def detail(request, pk):
    opportunite = get_object_or_404(
        Opportunite.objects.select_related("commune__departement__region"), pk=pk
    )
    if not _visible(opportunite, request.user):
        raise Http404
    return render(
        request,
        "opportunites/detail.html",
        {
            "opportunite": opportunite,
            "signalement": SignalementForm() if opportunite.en_ligne else None,
            **services.autour_de_l_annonce(opportunite),
            **fiche.aides_possibles(request, opportunite),
        },
    )


def piece_jointe(request, pk):
    """The post's PDF, served by the portal to whoever may read the post (never the storage's
    own address), as an attachment in a sandbox."""
    opportunite = get_object_or_404(Opportunite, pk=pk)
    if not opportunite.piece_jointe or not _visible(opportunite, request.user):
        raise Http404
    reponse = FileResponse(opportunite.piece_jointe.open("rb"), as_attachment=True,
                           filename=f"annonce-{opportunite.pk}.pdf",
                           content_type="application/pdf")  # fmt: skip
    reponse["X-Content-Type-Options"] = "nosniff"
    reponse["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return reponse


# -- posting: signed-in users whose e-mail address is verified ----------------------------------


def adresse_verifiee_requise(vue):
    @functools.wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
            return render(request, "opportunites/adresse_a_verifier.html", status=403)
        return vue(request, *args, **kwargs)

    return enveloppe


def _mienne(request, pk) -> Opportunite:
    return get_object_or_404(Opportunite.objects.de_l_auteur(request.user), pk=pk)


@adresse_verifiee_requise
def publier(request):
    return _formulaire(request, Opportunite())


@adresse_verifiee_requise
def modifier(request, pk):
    opportunite = _mienne(request, pk)
    if opportunite.statut != Statut.BROUILLON:
        messages.error(
            request,
            "Seul un brouillon se modifie : cette annonce est "
            f"« {opportunite.get_statut_display().lower()} ».",
        )
        return redirect("opportunites:mes_annonces")
    return _formulaire(request, opportunite)


def _formulaire(request, opportunite):
    form = OpportuniteForm(request.POST or None, request.FILES or None, instance=opportunite)
    if request.method == "POST" and form.is_valid():
        soumettre = "soumettre" in request.POST
        opportunite = services.opportunite_enregistrer(
            form=form, auteur=request.user, soumettre=soumettre
        )
        if soumettre and opportunite.en_ligne:
            messages.success(
                request,
                "Annonce publiée : vos annonces précédentes ont été "
                "acceptées, vous publiez désormais directement.",
            )
        elif soumettre:
            messages.success(
                request,
                "Annonce transmise à l'équipe de l'ARS, qui la relit "
                "avant publication. Vous recevrez un courriel.",
            )
        else:
            messages.success(request, "Brouillon enregistré.")
        return redirect("opportunites:mes_annonces")
    return render(
        request, "opportunites/formulaire.html", {"form": form, "opportunite": opportunite}
    )


@adresse_verifiee_requise
def mes_annonces(request):
    annonces = Opportunite.objects.de_l_auteur(request.user).select_related("commune")
    recus = MessageOpportunite.objects.filter(opportunite__auteur=request.user).select_related(
        "opportunite"
    )[:50]
    return render(request, "opportunites/mes_annonces.html", {"annonces": annonces, "recus": recus})


ACTIONS_AUTEUR = {
    "soumettre": ("soumettre", "Annonce transmise à l'équipe de l'ARS."),
    "pourvue": ("marquer_pourvue", "Annonce marquée pourvue : elle n'est plus en ligne."),
    "retirer": ("retirer", "Annonce retirée."),
    "renouveler": ("renouveler", "Annonce renouvelée : elle reste en ligne une nouvelle période."),
}


@require_POST
@adresse_verifiee_requise
def action_auteur(request, pk, action):
    if action not in ACTIONS_AUTEUR:
        raise Http404
    opportunite = _mienne(request, pk)
    methode, succes = ACTIONS_AUTEUR[action]
    try:
        getattr(opportunite, methode)()
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        opportunite.save()
        messages.success(request, succes)
    return redirect("opportunites:mes_annonces")


@require_POST
@adresse_verifiee_requise
def signaler(request, pk):
    opportunite = get_object_or_404(Opportunite.objects.publiees(), pk=pk)
    form = SignalementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le motif du signalement.")
        return redirect(opportunite)
    if limites.limite_atteinte(request, "opportunite-signalement",
                               par_adresse=settings.OPPORTUNITE_SIGNALEMENT_LIMITE,
                               compte=request.user,
                               par_compte=settings.OPPORTUNITE_SIGNALEMENT_LIMITE):  # fmt: skip
        return limites.reponse_trop_de_tentatives(request)
    services.opportunite_signaler(opportunite=opportunite, motif=form.cleaned_data["motif"])
    messages.success(request, "Merci : l'annonce est retirée de la liste le temps que l'équipe "
                     "de l'ARS la relise.")  # fmt: skip
    return redirect("opportunites:liste")


# -- contact relayed through the portal -----------------------------------------------------------


@adresse_verifiee_requise
def contacter(request, pk):
    opportunite = get_object_or_404(
        Opportunite.objects.publiees().select_related("commune", "auteur"), pk=pk
    )
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limites.limite_atteinte(
            request,
            "opportunite-contact",
            par_adresse=settings.OPPORTUNITE_CONTACT_LIMITE_ADRESSE,
            courriel=request.user.email,
            par_courriel=settings.OPPORTUNITE_CONTACT_LIMITE_COMPTE,
        ):
            return limites.reponse_trop_de_tentatives(request)
        try:
            services.opportunite_contacter(
                opportunite=opportunite, expediteur=request.user, texte=form.cleaned_data["texte"]
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                "Message transmis à l'auteur de l'annonce, sans votre "
                "adresse. Sa réponse vous parviendra par courriel.",
            )
            return redirect(opportunite)
    return render(
        request, "opportunites/contacter.html", {"opportunite": opportunite, "form": form}
    )


@adresse_verifiee_requise
def message(request, pk):
    """The author reads a message about one of their posts and answers it; its sender reads
    the message and the answer. E-mails only point here: they quote nothing either wrote."""
    recu = get_object_or_404(
        MessageOpportunite.objects.select_related("opportunite__commune", "expediteur").filter(
            Q(opportunite__auteur=request.user) | Q(expediteur=request.user)
        ),
        pk=pk,
    )
    est_auteur = recu.opportunite.auteur_id == request.user.pk
    form = ReponseForm(request.POST or None) if est_auteur else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.opportunite_repondre(message=recu, texte=form.cleaned_data["texte"])
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, "Réponse envoyée.")
            return redirect("opportunites:message", pk=recu.pk)
    return render(
        request,
        "opportunites/message.html",
        {"message_recu": recu, "form": form, "est_auteur": est_auteur},
    )


# -- alerts: saved searches, their feeds, unsubscribing ---------------------------------------


@adresse_verifiee_requise
def mes_alertes(request):
    form = AlerteCommuneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alertes.alerte_enregistrer_commune(utilisateur=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, "Alerte enregistrée.")
            return redirect("opportunites:alertes")
    lignes = [
        {
            "alerte": a,
            "intitule": alertes.intitule(a),
            "flux": reverse("opportunites:flux", args=[alertes.jeton_flux(a)]),
        }
        for a in Alerte.objects.filter(utilisateur=request.user).select_related("commune")
    ]
    return render(
        request,
        "opportunites/alertes.html",
        {"lignes": lignes, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@adresse_verifiee_requise
def alerte_creer(request):
    form = AlerteRechercheForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Recherche ou fréquence non valide.")
    try:
        alertes.alerte_enregistrer_recherche(
            utilisateur=request.user,
            requete=form.cleaned_data["parametres"],
            frequence=form.cleaned_data["frequence"],
        )
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request,
            "Alerte enregistrée : les nouvelles annonces de cette "
            "recherche vous seront envoyées par courriel.",
        )
    return redirect("opportunites:alertes")


@require_POST
@adresse_verifiee_requise
def alerte_supprimer(request, pk):
    get_object_or_404(Alerte.objects.filter(utilisateur=request.user), pk=pk).delete()
    messages.success(request, "Alerte supprimée.")
    return redirect("opportunites:alertes")


@csrf_exempt  # the signed link is the authority; mail clients POST it (RFC 8058 one-click)
def desabonner(request, jeton):
    if request.method == "POST":
        if alertes.desabonner(jeton) is None:
            raise Http404
        return render(request, "opportunites/desabonne.html")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        signing.loads(jeton, salt=alertes.SEL_DESABONNER)
    except signing.BadSignature:
        raise Http404 from None
    return render(request, "opportunites/desabonner.html")


class FluxAlerte(Feed):
    """Atom feed of a saved search, read without an account through its signed address."""

    feed_type = Atom1Feed
    description_template = "opportunites/flux/_element.html"

    def get_object(self, request, jeton):
        alerte = alertes.alerte_du_flux(jeton)
        if alerte is None:
            raise Http404
        alerte.jeton = jeton
        return alerte

    def title(self, alerte):
        return f"{settings.PORTAIL_NOM} — {alertes.intitule(alerte)}"

    def link(self, alerte):
        if alerte.sujet == Alerte.Sujet.AIDES_ZONAGE:
            return reverse("guichet:commune", args=[alerte.commune.code])
        return reverse("opportunites:liste") + "?" + urlencode(alerte.parametres)

    def subtitle(self, alerte):
        return "Annonces relues par l'ARS avant publication."

    def items(self, alerte):
        if alerte.sujet == Alerte.Sujet.AIDES_ZONAGE:
            return list(alertes.aides_de(alerte)[:30])
        return list(alertes.opportunites_de(alerte).order_by("-publiee_le", "-pk")[:30])

    def item_title(self, item):
        return item.nom if isinstance(item, Aide) else item.titre

    def item_pubdate(self, item):
        return item.modifie_le if isinstance(item, Aide) else item.publiee_le

    def item_updateddate(self, item):
        return item.modifie_le if isinstance(item, Aide) else item.modifiee_le
