"""The booking flow (public), the self-service page and the referent's agenda (staff)."""

import datetime
import functools
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guichet import calendrier, projet, publics
from guichet.cache import Fragments, memoire
from guichet.cache_pages import DUREE_HORLOGE, garder_au_plus
from guichet.csv_export import reponse_csv
from guichet.fuseaux import FUSEAU_PAR_DEFAUT, bornes_des_jours, fuseau_de, nom_fuseau
from guichet.grammaire import formater_date
from guichet.limites import limite_atteinte, reponse_trop_de_tentatives
from guichet.models import Commune, Departement
from guichet.parametres import lire_entier
from guichet.versions import AGENDA, ESPACE, PAGES
from rendezvous import creneaux as moteur
from rendezvous import services
from rendezvous.forms import AnnulationReferentForm, ChoixTerritoireForm, RendezVousForm
from rendezvous.models import (
    MotifRendezVous,
    Referent,
    RendezVous,
    TransitionRefusee,
    empreinte_jeton,
)
from rendezvous.perimetre import referents_visibles, rendezvous_visibles

# Rate limits (django-ratelimit, real client address): booking per address (setting
# RENDEZVOUS_LIMITE_ADRESSE) and per (address, e-mail); the cap on each e-mail's future
# meetings lives in services.verifier_plafonds.
LIMITE_RESERVATION_COURRIEL = "4/h"
LIMITE_GESTION_ADRESSE = "20/m"
SALT_CLE = "rendezvous.cle-idempotence"
RESERVES_GARDES = 10
# What the simulator learnt (profession, situation, commune), kept to pre-fill a booking.


def _rendre(request, fuseau, gabarit, contexte):
    """Render with the region's time zone active: times show as the local clock does."""
    with timezone.override(fuseau):
        return render(request, gabarit, contexte)


def _departements_couverts():
    return Departement.objects.filter(referents__actif=True).distinct().order_by("code")


def accueil(request):
    initial = {}
    commune = _commune_connue(request)
    if commune is not None and not request.GET:
        # The commune the user already gave (simulator, plan link, profile): not typed twice.
        initial = {"departement": commune.departement_id, "commune": commune}
    form = ChoixTerritoireForm(
        request.GET or None, departements=_departements_couverts(), initial=initial
    )
    if request.GET and form.is_valid():
        commune = form.cleaned_data.get("commune")
        code = commune.departement_id if commune else form.cleaned_data["departement"]
        response = redirect("rendezvous:motifs", departement=code)
        if commune is not None:  # the booking form is pre-filled with it (_initial)
            projet.memoriser(response, **{**projet.lire(request), "commune": commune.code})
        return response
    return render(request, "rendezvous/accueil.html", {"form": form})


def _departement(code):
    return get_object_or_404(Departement.objects.select_related("region"), code=code)


def motifs(request, departement):
    dep = _departement(departement)
    referents = list(
        Referent.objects.filter(actif=True, departements=dep).select_related("utilisateur")
    )
    contexte = {
        "departement": dep,
        "referents": referents,
        "motifs": MotifRendezVous.objects.filter(actif=True, plages__referent__in=referents)
        .distinct()
        .order_by("ordre", "nom"),
    }
    if not referents:  # no dead end: who to contact instead
        contexte["contacts_ars"] = publics.contacts_ars(dep)
        contexte["referents_region"] = [
            (r, r.departements.filter(region=dep.region).order_by("code").first())
            for r in Referent.objects.filter(actif=True, departements__region=dep.region)
            .select_related("utilisateur")
            .distinct()
        ]
    return render(request, "rendezvous/motifs.html", contexte)


@functools.lru_cache(maxsize=settings.MEMOIRE_PROCESSUS["rendezvous.jours"])
def _libelle_jour(jour: datetime.date, langue: str) -> str:
    """ "lundi 7 décembre": a date's label never changes."""
    return formater_date(jour, "l j F")


def _grille(libres, lundi, url_choix=None):
    """The week's days, each with its labels and its slots ready to print.

    Labels are formatted once per day and per place, not per slot: a week can hold hundreds
    of slots. The slots' starts are already in the region's zone, so ``%H:%M`` is the local
    clock, as the ``time`` filter would print it under the region's active zone.
    """
    modalites = {}
    jours = {}
    for n in range(7):
        jour = lundi + datetime.timedelta(days=n)
        libelle = _libelle_jour(jour, translation.get_language())
        jours[jour] = {"jour": jour, "libelle": libelle, "titre": capfirst(libelle), "creneaux": []}
    for c in libres:
        lieu = c.lieu
        if lieu.pk not in modalites:
            modalites[lieu.pk] = lieu.modalite
        cle = c.cle
        lien = f"{url_choix}?creneau={cle}" if url_choix else ""
        jours[c.debut.date()]["creneaux"].append(
            {
                "cle": cle,
                "debut": c.debut,
                "heure": f"{c.debut:%H:%M}",
                "modalite": modalites[lieu.pk],
                "url": lien,
            }
        )
    return list(jours.values())


def _semaine_de_creneaux(
    request, *, dep, motif, referents=None, sauf=None, grille=False, actuel=None
):
    """The week of free slots shown to choose from (booking or moving).

    ``actuel``: the start of the meeting being moved; its own slot, free once the meeting is
    set aside (``sauf``), is neither listed, counted nor offered as "the next free one".
    """
    fuseau = fuseau_de(dep)
    aujourd_hui = timezone.now().astimezone(fuseau).date()
    lundi, dimanche = moteur.semaine_demandee(request.GET.get("semaine"), aujourd_hui)
    if referents is None and sauf is None:  # the public list: kept per agenda version
        libres = moteur.creneaux_affiches(departement=dep, motif=motif, du=lundi, au=dimanche)
    else:
        libres = moteur.creneaux_libres(
            departement=dep, motif=motif, du=lundi, au=dimanche, referents=referents, sauf=sauf
        )
        libres = [c for c in libres if c.debut != actuel]
    prochain = None
    if not libres and referents is None and sauf is None:  # where the next free slot is
        prochain = moteur.prochain_creneau_affiche(departement=dep, motif=motif, du=dimanche)
    elif not libres:
        suivants = moteur.creneaux_libres(
            departement=dep, motif=motif, du=dimanche, referents=referents, sauf=sauf
        )
        prochain = next((c for c in suivants if c.debut != actuel), None)
    return {
        "jours": _grille(libres, lundi) if grille else None,
        "libres": libres,
        "lundi": lundi,
        "nb_creneaux": len(libres),
        "prochain": prochain,
        "semaine_precedente": lundi - datetime.timedelta(days=7),
        "semaine_suivante": lundi + datetime.timedelta(days=7),
        "peut_reculer": lundi > timezone.now().astimezone(fuseau).date(),
        "nom_fuseau": nom_fuseau(fuseau),
        "fuseau_different": fuseau.key != FUSEAU_PAR_DEFAUT,
    }


def creneaux(request, departement, motif):
    dep = _departement(departement)
    motif = get_object_or_404(MotifRendezVous, slug=motif, actif=True)
    fuseau = fuseau_de(dep)
    url_choix = reverse("rendezvous:reserver", args=[dep.code, motif.slug])
    semaine = _semaine_de_creneaux(request, dep=dep, motif=motif)
    with timezone.override(fuseau):
        grille = _grille_html(semaine["libres"], semaine["lundi"], url_choix, fuseau)
    reponse = _rendre(
        request,
        fuseau,
        "rendezvous/creneaux.html",
        {"departement": dep, "motif": motif, "grille": grille, **semaine},
    )
    # Kept whole for anonymous readers until the first slot shown leaves the booking window
    # (a minute at most: slots entering the window at its far end show within a minute).
    debuts = [c.debut for c in semaine["libres"]] + [c.debut for c in [semaine["prochain"]] if c]
    limite = timezone.now() + datetime.timedelta(hours=motif.delai_minimum_heures)
    restant = min([(d - limite).total_seconds() for d in debuts], default=DUREE_HORLOGE)
    return garder_au_plus(reponse, min(restant, DUREE_HORLOGE))


# Rendered grids of the public list, per process: a pure function of the key, which holds
# everything the grid prints (each slot's start, referent, place and its type, the week, the
# booking URL, the zone, the language), so no write can make an entry wrong (guichet.cache,
# "rendezvous.grilles").


def _grille_html(libres, lundi, url_choix, fuseau):
    cle = (
        lundi,
        url_choix,
        fuseau.key,
        translation.get_language(),
        tuple((c.debut, c.referent_id, c.lieu_id, c.lieu.type) for c in libres),
    )
    html = memoire("rendezvous.grilles").get(cle)
    if html is None:
        html = render_to_string(
            "rendezvous/_semaine_creneaux.html", {"jours": _grille(libres, lundi, url_choix)}
        )
        memoire("rendezvous.grilles").set(cle, html)
    return html


def _creneau_demande(request, dep, motif, *, referents=None, sauf=None):
    lu = moteur.lire_cle(request.GET.get("creneau") or request.POST.get("creneau", ""))
    if lu is None:
        raise Http404
    referent_id, debut = lu
    jour = debut.date()
    libres = moteur.creneaux_libres(
        departement=dep,
        motif=motif,
        du=jour - datetime.timedelta(days=1),
        au=jour + datetime.timedelta(days=1),
        referents=referents,
        sauf=sauf,
    )
    return (
        referent_id,
        debut,
        next((c for c in libres if c.referent_id == referent_id and c.debut == debut), None),
    )


def _nouvelle_cle():
    """An idempotency key per form: signed, so nothing is stored until it is used."""
    return signing.dumps(secrets.token_urlsafe(12), salt=SALT_CLE)


def _lire_cle(valeur):
    try:
        return signing.loads(valeur, salt=SALT_CLE, max_age=datetime.timedelta(hours=6))
    except signing.BadSignature:
        return None


def _memoriser_reservation(request, rdv):
    reserves = [u for u in request.session.get("rdv_reserves", []) if u != str(rdv.uuid)]
    request.session["rdv_reserves"] = [*reserves, str(rdv.uuid)][-RESERVES_GARDES:]


def _enregistrer(request, form, cle, dep, motif, referent_id, debut):
    """Book the valid form's slot: the redirect to follow, or None with the form's errors set."""
    if limite_atteinte(
        request,
        "rdv-reserver",
        par_adresse=settings.RENDEZVOUS_LIMITE_ADRESSE,
        courriel=form.cleaned_data["courriel"],
        par_courriel=LIMITE_RESERVATION_COURRIEL,
    ):
        return reponse_trop_de_tentatives(request)
    donnees = {k: v for k, v in form.cleaned_data.items() if k != "nonce"}
    try:
        rdv, _ = services.rendezvous_reserver(
            departement=dep,
            motif=motif,
            referent_id=referent_id,
            debut=debut,
            demandeur=donnees,
            utilisateur=request.user,
        )
    except services.CreneauIndisponible as exc:
        messages.error(request, exc.message)
        url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug])
        return redirect(f"{url}?semaine={debut.date().isoformat()}")
    except services.ReservationsPlafonnees as exc:
        form.add_error("courriel", exc.message)
    else:
        cache.set(f"rdv:cle:{cle}", str(rdv.uuid), timeout=6 * 3600)
        _memoriser_reservation(request, rdv)
        return redirect("rendezvous:confirmation", uuid=rdv.uuid)
    return None


@never_cache
def reserver(request, departement, motif):
    dep = _departement(departement)
    motif = get_object_or_404(MotifRendezVous, slug=motif, actif=True)
    referent_id, debut, creneau = _creneau_demande(request, dep, motif)
    if request.method == "POST":
        form = RendezVousForm(request.POST)
        cle = _lire_cle(request.POST.get("nonce", ""))
        deja = cache.get(f"rdv:cle:{cle}") if cle else None
        if deja:  # the same form submitted twice
            return redirect("rendezvous:confirmation", uuid=deja)
        if cle is None:
            form.add_error(
                None, "Ce formulaire a expiré : vérifiez le créneau et validez à nouveau."
            )
        elif form.is_valid():
            reponse = _enregistrer(request, form, cle, dep, motif, referent_id, debut)
            if reponse is not None:
                return reponse
    else:
        if creneau is None:
            messages.error(request, services.MESSAGE_PRIS)
            return redirect("rendezvous:creneaux", departement=dep.code, motif=motif.slug)
        form = RendezVousForm(initial=_initial(request))
    nonce = _nouvelle_cle()
    form.initial["nonce"] = nonce
    if form.is_bound:
        form.data = form.data.copy()
        form.data["nonce"] = nonce
    fuseau = fuseau_de(dep)
    return _rendre(
        request,
        fuseau,
        "rendezvous/reserver.html",
        {
            "departement": dep,
            "motif": motif,
            "form": form,
            "creneau": creneau,
            "debut_local": debut.astimezone(fuseau),
            "cle": request.GET.get("creneau") or request.POST.get("creneau"),
            "nom_fuseau": nom_fuseau(fuseau),
            "lieu": moteur.lieux_de([creneau]).get(creneau.lieu_id) if creneau else None,
        },
    )


def _commune_connue(request):
    """The commune the user already gave: the simulator or the plan's booking link (kept in the
    project cookie), their profile."""
    code = projet.lire(request).get("commune")
    if not code and request.user.is_authenticated:
        code = request.user.commune_interet_id
    return Commune.objects.select_related("departement").filter(pk=code).first() if code else None


def _initial(request):
    """Pre-fill the booking with what the user already told the portal."""
    user = request.user
    initial = {}
    if user.is_authenticated:
        initial = {
            "nom": user.get_full_name(),
            "courriel": user.email,
            "profession": user.profession,
            "situation": user.situation,
        }
    simulation = projet.lire(request)
    for champ in ("profession", "situation"):
        if not initial.get(champ) and simulation.get(champ):
            initial[champ] = simulation[champ]
    commune = _commune_connue(request)
    if commune is not None:
        initial["commune"] = commune
    return {k: v for k, v in initial.items() if v}


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


def _rdv_du_jeton(jeton):
    rdv = (
        RendezVous.objects.select_related(
            "motif", "lieu__departement__region", "referent__utilisateur"
        )
        .filter(jeton_empreinte=empreinte_jeton(jeton), fin__gt=timezone.now())
        .first()
    )
    if rdv is None:
        raise Http404
    return rdv


@never_cache
def gerer(request, jeton):
    """Self-service link: GET shows the meeting, POST cancels it. Token valid until the meeting."""
    if limite_atteinte(request, "rdv-gerer", par_adresse=LIMITE_GESTION_ADRESSE):
        return reponse_trop_de_tentatives(request)
    rdv = _rdv_du_jeton(jeton)
    if request.method == "POST" and request.POST.get("action") == "annuler":
        try:
            rdv = services.rendezvous_annuler(rdv=rdv)
        except TransitionRefusee as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Votre rendez-vous est annulé. Un courriel vous le confirme.")
        return redirect("rendezvous:gerer", jeton=jeton)
    return _rendre(request, rdv.fuseau, "rendezvous/gerer.html", {"rdv": rdv, "jeton": jeton})


def _deplacer(request, rdv, *, par_usager, retour):
    """POST: move to the chosen slot (None: show the free slots again)."""
    if request.method == "POST":
        lu = moteur.lire_cle(request.POST.get("creneau", ""))
        if lu is None or lu[0] != rdv.referent_id:
            messages.error(request, "Choisissez un créneau dans la liste.")
            return None
        nouveau = _creneau_libre_pour(rdv, lu[1])
        if (
            nouveau is not None
            and nouveau.lieu.type != rdv.lieu.type
            and request.POST.get("confirmer") != "oui"
        ):
            return _rendre(
                request,
                rdv.fuseau,
                "rendezvous/deplacer_confirmer.html",
                {
                    "rdv": rdv,
                    "nouveau": nouveau,
                    "cle": nouveau.cle,
                    "action": request.get_full_path(),
                    "retour": retour,
                },
            )
        try:
            services.rendezvous_deplacer(rdv=rdv, debut=lu[1], par_usager=par_usager)
        except services.CreneauIndisponible as exc:
            messages.error(request, f"{exc.message} Voici les créneaux encore libres.")
            return None
        except TransitionRefusee as exc:
            messages.error(request, exc.message)
            return redirect(retour)
        messages.success(
            request, "Le rendez-vous est déplacé. Un courriel le confirme aux deux participants."
        )
        return redirect(retour)
    return None


def _creneau_libre_pour(rdv, debut):
    """The free slot of the meeting's referent starting at ``debut`` (None if it is not free)."""
    jour = debut.date()
    libres = moteur.creneaux_libres(
        departement=rdv.lieu.departement,
        motif=rdv.motif,
        referents=[rdv.referent],
        du=jour - datetime.timedelta(days=1),
        au=jour + datetime.timedelta(days=1),
        sauf=rdv.pk,
    )
    return next((c for c in libres if c.debut == debut), None)


@never_cache
def gerer_deplacer(request, jeton):
    if limite_atteinte(request, "rdv-gerer", par_adresse=LIMITE_GESTION_ADRESSE):
        return reponse_trop_de_tentatives(request)
    rdv = _rdv_du_jeton(jeton)
    retour = reverse("rendezvous:gerer", args=[jeton])
    if not rdv.deplacable_par_usager():
        messages.error(
            request, "Ce rendez-vous ne peut plus être déplacé en ligne : contactez le référent."
        )
        return redirect(retour)
    reponse = _deplacer(request, rdv, par_usager=True, retour=retour)
    if reponse is not None:
        return reponse
    return _page_deplacer(request, rdv, action=request.path, retour=retour)


def _page_deplacer(request, rdv, *, action, retour, referent_param=""):
    dep = rdv.lieu.departement
    return _rendre(
        request,
        rdv.fuseau,
        "rendezvous/deplacer.html",
        {
            "rdv": rdv,
            "action": action,
            "retour": retour,
            "referent_param": referent_param,
            **_semaine_de_creneaux(
                request,
                dep=dep,
                motif=rdv.motif,
                referents=[rdv.referent],
                sauf=rdv.pk,
                grille=True,
                actuel=rdv.debut,
            ),
        },
    )


# -- referent side -------------------------------------------------------------------------


def _referent_courant(request):
    visibles = referents_visibles(request.user)
    choisi = request.GET.get("referent") or request.POST.get("referent")
    if choisi:
        pk = lire_entier(choisi, minimum=1)
        if pk is None:
            raise Http404("Référent inconnu")
        return get_object_or_404(visibles, pk=pk), visibles
    propre = visibles.filter(utilisateur=request.user).first()
    return propre or visibles.first(), visibles


LIENS_AGENDA = ("motif", "lieu__departement__region", "commune", "referent__utilisateur")
# The week grid shows each meeting's times, name, motif and mode only: fewer joins to compile
# and plan on a page a referent reloads all day.
LIENS_SEMAINE = ("motif", "lieu__departement__region")


def _rdvs_agenda(request, referent, liens=LIENS_AGENDA):
    """The referent's meetings, as far as the user may read them (rendezvous.perimetre)."""
    return rendezvous_visibles(request.user).filter(referent=referent).select_related(*liens)


@staff_member_required
def agenda(request):
    referent, visibles = _referent_courant(request)
    rdvs = []
    maintenant = timezone.now()
    if referent:
        rdvs = list(
            _rdvs_agenda(request, referent)
            .filter(fin__gte=maintenant - datetime.timedelta(days=7))
            .order_by("debut")
        )
    a_renseigner = sum(1 for r in rdvs if r.renseignable(maintenant))
    fuseau = referent.fuseau if referent else timezone.get_current_timezone()
    return _rendre(
        request,
        fuseau,
        "rendezvous/agenda.html",
        {
            "referent": referent,
            "referents": visibles,
            "rdvs": rdvs,
            "a_renseigner": a_renseigner,
            "today": maintenant.astimezone(fuseau).date(),
            "maintenant": maintenant,
            "nom_fuseau": nom_fuseau(fuseau),
            "form_annulation": AnnulationReferentForm(),
            "url_flux": request.build_absolute_uri(
                reverse("rendezvous:flux_ical", args=[referent.jeton_agenda])
            )
            if referent
            else "",
        },
    )


@staff_member_required
def agenda_jour(request, jour):
    referent, _ = _referent_courant(request)
    if referent is None:
        raise Http404
    fuseau = referent.fuseau
    debut, fin = bornes_des_jours(jour, 1, fuseau)  # the local day, filtered in SQL
    rdvs = (
        _rdvs_agenda(request, referent)
        .actifs()
        .filter(debut__gte=debut, debut__lt=fin)
        .order_by("debut")
    )
    return _rendre(
        request,
        fuseau,
        "rendezvous/agenda_jour.html",
        {
            "referent": referent,
            "rdvs": rdvs,
            "jour": jour,
            "nom_fuseau": nom_fuseau(fuseau),
            "veille": jour - datetime.timedelta(days=1),
            "lendemain": jour + datetime.timedelta(days=1),
            "lundi": jour - datetime.timedelta(days=jour.weekday()),
        },
    )


@staff_member_required
def agenda_semaine(request, jour):
    # The grid is kept per reader, referent and week under the versions of the agendas and
    # meetings, of the territories (time zones) and of the reader's scope, read first: any
    # write of them, of any kind, renders it again.
    fragments = Fragments.pour(AGENDA, PAGES, ESPACE)
    referent, _ = _referent_courant(request)
    if referent is None:
        raise Http404
    lundi = jour - datetime.timedelta(days=jour.weekday())
    espace = fragments.espace("rendezvous.semaines")
    cle = (request.user.pk, referent.pk, lundi)
    semaine = espace.get(cle)
    if semaine is None:
        semaine = _semaine_agenda(request, referent, lundi)
        espace.set(cle, semaine)
    return _rendre(
        request,
        semaine["fuseau"],
        "rendezvous/agenda_semaine.html",
        {
            "referent": referent,
            "lundi": lundi,
            "precedente": lundi - datetime.timedelta(days=7),
            "suivante": lundi + datetime.timedelta(days=7),
            **semaine,
        },
    )


def _semaine_agenda(request, referent, lundi) -> dict:
    fuseau = referent.fuseau
    debut, fin = bornes_des_jours(lundi, 7, fuseau)
    rdvs = list(
        _rdvs_agenda(request, referent, LIENS_SEMAINE)
        .actifs()
        .filter(debut__gte=debut, debut__lt=fin)
        .order_by("debut")
    )
    jours = [lundi + datetime.timedelta(days=n) for n in range(7)]
    contexte = {
        "referent": referent,
        "jours": jours,
        "heures": _grille_semaine(rdvs, jours),
        "lundi": lundi,
        "nom_fuseau": nom_fuseau(fuseau),
    }
    with timezone.override(fuseau):
        grille = render_to_string("rendezvous/_agenda_semaine_grille.html", contexte)
    return {
        "grille": mark_safe(grille),  # noqa: S308 - rendered by the template engine
        "nb": len(rdvs),
        "nom_fuseau": contexte["nom_fuseau"],
        "fuseau": fuseau,
    }


HEURES_AFFICHEES = (8, 19)  # the grid's rows at least cover 08:00–18:59


def _grille_semaine(rdvs, jours):
    """The week as a calendar: one row per hour, one cell per day holding the meetings that
    start within that hour (local time); rows extend to cover early or late meetings."""
    heures = [r.debut_local.hour for r in rdvs]
    premiere = min([HEURES_AFFICHEES[0], *heures])
    derniere = max([HEURES_AFFICHEES[1] - 1, *heures])
    cases = {(j, h): [] for j in jours for h in range(premiere, derniere + 1)}
    for r in rdvs:
        cases[(r.debut_local.date(), r.debut_local.hour)].append(r)
    return [
        {"heure": datetime.time(h), "jours": [cases[(j, h)] for j in jours]}
        for h in range(premiere, derniere + 1)
    ]


def _rdv_visible(request, uuid):
    return get_object_or_404(
        rendezvous_visibles(request.user).select_related(
            "motif", "lieu__departement__region", "referent__utilisateur"
        ),
        uuid=uuid,
    )


@staff_member_required
@require_POST
def agenda_statut(request, uuid):
    rdv = _rdv_visible(request, uuid)
    action = request.POST.get("statut", "")
    try:
        if action == RendezVous.Statut.ANNULE_REFERENT:
            form = AnnulationReferentForm(request.POST)
            raison = form.cleaned_data["raison"] if form.is_valid() else ""
            services.rendezvous_annuler(rdv=rdv, par_referent=True, raison=raison)
            messages.success(request, "Le rendez-vous est annulé ; la personne est prévenue.")
        else:
            services.rendezvous_changer_statut(rdv=rdv, statut=action)
            messages.success(request, "Le statut du rendez-vous est enregistré.")
    except TransitionRefusee as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('rendezvous:agenda')}?referent={rdv.referent_id}")


@staff_member_required
def agenda_deplacer(request, uuid):
    rdv = _rdv_visible(request, uuid)
    retour = f"{reverse('rendezvous:agenda')}?referent={rdv.referent_id}"
    if not rdv.modifiable_par_referent():
        messages.error(request, "Ce rendez-vous ne peut plus être déplacé.")
        return redirect(retour)
    reponse = _deplacer(request, rdv, par_usager=False, retour=retour)
    if reponse is not None:
        return reponse
    return _page_deplacer(request, rdv, action=request.path, retour=retour)


@staff_member_required
def agenda_export(request):
    referent, _ = _referent_courant(request)
    if referent is None:
        raise Http404
    fuseau = referent.fuseau
    lignes = (
        [
            f"{r.debut_local:%Y-%m-%d}",
            f"{r.debut_local:%H:%M}",
            f"{r.fin_local:%H:%M}",
            nom_fuseau(fuseau),
            r.motif.nom,
            r.lieu.nom,
            r.lieu.get_type_display(),
            r.get_statut_display(),
            r.nom,
            r.courriel,
            r.telephone,
            r.get_profession_display(),
            r.get_situation_display(),
            r.commune.nom if r.commune else "",
        ]
        for r in _rdvs_agenda(request, referent).order_by("debut")
    )
    return reponse_csv(
        "rendez-vous.csv",
        [
            "date",
            "heure de début",
            "heure de fin",
            "fuseau",
            "motif",
            "lieu",
            "modalité",
            "statut",
            "nom",
            "courriel",
            "téléphone",
            "profession",
            "situation",
            "commune",
        ],
        lignes,
    )


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
    if not jeton.replace("-", "").replace("_", "").isalnum():  # tokens are URL-safe base64
        raise Http404("Flux inconnu")
    referent = get_object_or_404(Referent, jeton_agenda=jeton)
    rendezvous = (
        RendezVous.objects.actifs()
        .filter(referent=referent, debut__gte=timezone.now() - datetime.timedelta(days=30))
        .select_related("motif", "lieu__departement__region")
    )
    return calendrier.reponse_ics(services.flux_referent(referent, rendezvous))
