"""The booking flow (public), the self-service page and the referent's agenda (staff)."""

import csv
import datetime
import secrets

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guichet.models import Departement
from rendezvous import creneaux as moteur
from rendezvous import services
from rendezvous.forms import ChoixTerritoireForm, RendezVousForm
from rendezvous.models import (
    MotifRendezVous,
    Referent,
    RendezVous,
    empreinte_jeton,
)
from rendezvous.perimetre import referents_visibles

NOMS_FUSEAUX = {
    "Europe/Paris": "heure de Paris",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
}


def _rendre(request, fuseau, gabarit, contexte):
    """Render with the region's time zone active: times show as the local clock does."""
    with timezone.override(fuseau):
        return render(request, gabarit, contexte)


def _departements_couverts():
    return Departement.objects.filter(referents__actif=True).distinct().order_by("code")


def accueil(request):
    form = ChoixTerritoireForm(request.GET or None, departements=_departements_couverts())
    if request.GET and form.is_valid():
        commune = form.cleaned_data.get("commune")
        code = commune.departement_id if commune else form.cleaned_data["departement"]
        return redirect("rendezvous:motifs", departement=code)
    return render(request, "rendezvous/accueil.html", {"form": form})


def _departement(code):
    return get_object_or_404(Departement.objects.select_related("region"), code=code)


def motifs(request, departement):
    dep = _departement(departement)
    referents = list(
        Referent.objects.filter(actif=True, departements=dep).select_related("utilisateur")
    )
    return render(
        request,
        "rendezvous/motifs.html",
        {
            "departement": dep,
            "referents": referents,
            "motifs": MotifRendezVous.objects.filter(actif=True, plages__referent__in=referents)
            .distinct()
            .order_by("ordre", "nom"),
        },
    )


def _semaine(request, fuseau):
    aujourd_hui = timezone.now().astimezone(fuseau).date()
    try:
        jour = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        jour = aujourd_hui
    lundi = max(jour, aujourd_hui) - datetime.timedelta(days=max(jour, aujourd_hui).weekday())
    return lundi, lundi + datetime.timedelta(days=6)


def creneaux(request, departement, motif):
    dep = _departement(departement)
    motif = get_object_or_404(MotifRendezVous, slug=motif, actif=True)
    fuseau = moteur.fuseau_de(dep)
    lundi, dimanche = _semaine(request, fuseau)
    libres = moteur.creneaux_libres(departement=dep, motif=motif, du=lundi, au=dimanche)
    prochain = None
    if not libres:  # tell where the next free slot is rather than show an empty week
        suivants = moteur.creneaux_libres(departement=dep, motif=motif, du=dimanche)
        prochain = suivants[0] if suivants else None
    jours = [lundi + datetime.timedelta(days=n) for n in range(7)]
    lieux = moteur.lieux_de(libres)
    par_jour = {
        jour: [(c, lieux[c.lieu_id]) for c in libres if c.debut.date() == jour] for jour in jours
    }
    return _rendre(
        request,
        fuseau,
        "rendezvous/creneaux.html",
        {
            "departement": dep,
            "motif": motif,
            "jours": [(jour, par_jour[jour]) for jour in jours],
            "nb_creneaux": len(libres),
            "prochain": prochain,
            "semaine_precedente": lundi - datetime.timedelta(days=7),
            "semaine_suivante": lundi + datetime.timedelta(days=7),
            "peut_reculer": lundi > timezone.now().astimezone(fuseau).date(),
            "nom_fuseau": NOMS_FUSEAUX.get(fuseau.key, fuseau.key),
            "fuseau_different": fuseau.key != "Europe/Paris",
        },
    )


def _creneau_demande(request, dep, motif):
    lu = moteur.lire_cle(request.GET.get("creneau") or request.POST.get("creneau", ""))
    if lu is None:
        raise Http404
    referent_id, debut = lu
    jour = debut.date()
    libres = moteur.creneaux_libres(
        departement=dep, motif=motif, du=jour - datetime.timedelta(days=1),
        au=jour + datetime.timedelta(days=1),
    )  # fmt: skip
    return (
        referent_id,
        debut,
        next((c for c in libres if c.referent_id == referent_id and c.debut == debut), None),
    )


@never_cache
def reserver(request, departement, motif):
    dep = _departement(departement)
    motif = get_object_or_404(MotifRendezVous, slug=motif, actif=True)
    referent_id, debut, creneau = _creneau_demande(request, dep, motif)
    nonces = request.session.setdefault("rdv_nonces", {})
    if request.method == "POST":
        form = RendezVousForm(request.POST)
        nonce = request.POST.get("nonce", "")
        if nonce in nonces and nonces[nonce]:  # the same form submitted twice
            return redirect("rendezvous:confirmation", uuid=nonces[nonce])
        if form.is_valid() and nonce in nonces:
            donnees = {k: v for k, v in form.cleaned_data.items() if k != "nonce"}
            try:
                rdv, _ = services.rendezvous_reserver(
                    departement=dep, motif=motif, referent_id=referent_id, debut=debut,
                    demandeur=donnees, utilisateur=request.user,
                )  # fmt: skip
            except services.CreneauIndisponible as exc:
                messages.error(request, exc.message)
                url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug])
                return redirect(f"{url}?semaine={debut.date().isoformat()}")
            nonces[nonce] = str(rdv.uuid)
            request.session.setdefault("rdv_reserves", []).append(str(rdv.uuid))
            request.session.modified = True
            return redirect("rendezvous:confirmation", uuid=rdv.uuid)
        if nonce not in nonces:
            form.add_error(
                None, "Ce formulaire a expiré : vérifiez le créneau et validez à nouveau."
            )
    else:
        if creneau is None:
            messages.error(request, services.MESSAGE_PRIS)
            return redirect("rendezvous:creneaux", departement=dep.code, motif=motif.slug)
        form = RendezVousForm(initial=_initial(request.user))
    nonce = secrets.token_urlsafe(16)
    nonces[nonce] = ""
    request.session.modified = True
    form.initial["nonce"] = nonce
    if form.is_bound:
        form.data = form.data.copy()
        form.data["nonce"] = nonce
    fuseau = moteur.fuseau_de(dep)
    return _rendre(
        request,
        fuseau,
        "rendezvous/reserver.html",
        {
            "departement": dep, "motif": motif, "form": form, "creneau": creneau,
            "debut_local": debut.astimezone(fuseau), "cle": request.GET.get("creneau")
            or request.POST.get("creneau"),
            "nom_fuseau": NOMS_FUSEAUX.get(fuseau.key, fuseau.key),
            "lieu": moteur.lieux_de([creneau]).get(creneau.lieu_id) if creneau else None,
        },
    )  # fmt: skip


def _initial(user):
    if not user.is_authenticated:
        return {}
    return {
        "nom": user.get_full_name(), "courriel": user.email, "profession": user.profession,
        "situation": user.situation, "commune": user.commune_interet_id or "",
    }  # fmt: skip


def confirmation(request, uuid):
    if str(uuid) not in request.session.get("rdv_reserves", []):
        raise Http404
    rdv = get_object_or_404(
        RendezVous.objects.select_related(
            "motif", "lieu__departement__region", "referent__utilisateur"
        ),
        uuid=uuid,
    )
    return _rendre(request, rdv.fuseau, "rendezvous/confirmation.html", {"rdv": rdv})


def _limiter(request, action: str, limite: int = 20) -> bool:
    """At most ``limite`` requests a minute per address for an action (cache counter)."""
    cle = f"limite:{action}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(cle, 0, timeout=60)
    try:
        return cache.incr(cle) <= limite
    except ValueError:
        return True


@never_cache
def gerer(request, jeton):
    """Self-service link: GET shows the meeting, POST cancels it. Token valid until the meeting."""
    if not _limiter(request, "gerer"):
        return HttpResponse("Trop de tentatives : réessayez dans une minute.", status=429)
    rdv = (
        RendezVous.objects.select_related(
            "motif", "lieu__departement__region", "referent__utilisateur"
        )
        .filter(jeton_empreinte=empreinte_jeton(jeton), fin__gt=timezone.now())
        .first()
    )
    if rdv is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "annuler":
        if not rdv.annulable_par_usager():
            messages.error(
                request, "Ce rendez-vous ne peut plus être annulé en ligne : contactez le référent."
            )
        else:
            rdv = services.rendezvous_annuler(rdv=rdv)
            messages.success(request, "Votre rendez-vous est annulé. Un courriel vous le confirme.")
        return redirect("rendezvous:gerer", jeton=jeton)
    return _rendre(request, rdv.fuseau, "rendezvous/gerer.html", {"rdv": rdv, "jeton": jeton})


# -- referent side -------------------------------------------------------------------------


def _referent_courant(request):
    visibles = referents_visibles(request.user)
    choisi = request.GET.get("referent") or request.POST.get("referent")
    if choisi:
        return get_object_or_404(visibles, pk=choisi), visibles
    propre = visibles.filter(utilisateur=request.user).first()
    return propre or visibles.first(), visibles


@staff_member_required
def agenda(request):
    referent, visibles = _referent_courant(request)
    rdvs = []
    if referent:
        rdvs = list(
            RendezVous.objects.filter(
                referent=referent, fin__gte=timezone.now() - datetime.timedelta(days=7)
            )
            .select_related("motif", "lieu__departement__region", "commune")
            .order_by("debut")
        )
    a_renseigner = sum(
        1 for r in rdvs if r.statut == RendezVous.Statut.CONFIRME and r.fin < timezone.now()
    )
    return _rendre(
        request,
        referent.fuseau if referent else timezone.get_current_timezone(),
        "rendezvous/agenda.html",
        {"referent": referent, "referents": visibles, "rdvs": rdvs, "a_renseigner": a_renseigner,
         "today": timezone.localdate(),
         "url_flux": request.build_absolute_uri(
             reverse("rendezvous:flux_ical", args=[referent.jeton_agenda])) if referent else ""},
    )  # fmt: skip


@staff_member_required
def agenda_jour(request, jour):
    referent, _ = _referent_courant(request)
    if referent is None:
        raise Http404
    rdvs = [
        r for r in RendezVous.objects.actifs().filter(referent=referent)
        .select_related("motif", "lieu__departement__region", "commune").order_by("debut")
        if r.debut_local.date() == jour
    ]  # fmt: skip
    return render(
        request, "rendezvous/agenda_jour.html", {"referent": referent, "rdvs": rdvs, "jour": jour}
    )


@staff_member_required
@require_POST
def agenda_statut(request, uuid):
    rdv = get_object_or_404(
        RendezVous.objects.filter(referent__in=referents_visibles(request.user)), uuid=uuid
    )
    action = request.POST.get("statut")
    if action == "annule-referent":
        services.rendezvous_annuler(rdv=rdv, par_referent=True)
    elif action in {RendezVous.Statut.HONORE, RendezVous.Statut.ABSENT}:
        services.rendezvous_changer_statut(rdv=rdv, statut=action)
    else:
        raise Http404
    messages.success(request, "Le statut du rendez-vous est enregistré.")
    return redirect(f"{reverse('rendezvous:agenda')}?referent={rdv.referent_id}")


@staff_member_required
def agenda_export(request):
    referent, _ = _referent_courant(request)
    if referent is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["date", "heure", "motif", "lieu", "statut", "nom", "courriel", "telephone",
                     "profession", "situation", "commune"])  # fmt: skip
    for r in (
        RendezVous.objects.filter(referent=referent)
        .select_related("motif", "lieu__departement__region", "commune")
        .order_by("debut")
    ):
        writer.writerow([
            f"{r.debut_local:%Y-%m-%d}", f"{r.debut_local:%H:%M}", r.motif.nom, r.lieu.nom,
            r.get_statut_display(), r.nom, r.courriel, r.telephone, r.get_profession_display(),
            r.get_situation_display(), r.commune.nom if r.commune else "",
        ])  # fmt: skip
    return response


@staff_member_required
@require_POST
def agenda_nouveau_jeton(request):
    referent, _ = _referent_courant(request)
    if referent is None or (
        referent.utilisateur_id != request.user.pk and not request.user.is_superuser
    ):
        raise Http404
    referent.jeton_agenda = secrets.token_urlsafe(32)
    referent.save(update_fields=["jeton_agenda"])
    messages.success(request, "Nouvelle adresse de flux créée : l'ancienne ne fonctionne plus.")
    return redirect("rendezvous:agenda")


def flux_ical(request, jeton):
    """Private feed of a referent's meetings (the rotatable token is the only key)."""
    referent = get_object_or_404(Referent, jeton_agenda=jeton)
    rendezvous = (
        RendezVous.objects.actifs()
        .filter(referent=referent, debut__gte=timezone.now() - datetime.timedelta(days=30))
        .select_related("motif", "lieu__departement__region")
    )
    return HttpResponse(
        services.flux_referent(referent, rendezvous), content_type="text/calendar; charset=utf-8"
    )
