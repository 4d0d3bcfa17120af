from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from aides import eligibilite, rendu
from aides.filters import AideFilterSet
from aides.forms import ETAPES, SimulateurForm
from aides.models import Aide, Financement, SimulationEnregistree, Zonage
from guichet import projet, scoping
from guichet.cache import Fragments
from guichet.csv_export import reponse_csv, reponse_json
from guichet.forms import SUFFIXE_SAISIE
from guichet.limites import limiter
from guichet.signals import contenu_consulte, simulation_faite
from guichet.suites import suites_pour
from guichet.vocabulaire import Profession

PAR_PAGE = 12


def _filtrees(request, queryset=None):
    queryset = Aide.objects.publiees().pour_liste() if queryset is None else queryset
    return AideFilterSet(request.GET or None, queryset=queryset)


def liste(request):
    # The page's content is kept per query string, content version and day; below it, the
    # filter's results, the cards and the form are kept too, for other pages and filters.
    fragments = Fragments.pour("aides")
    pages = fragments.espace("aides.listes")
    cle = tuple(sorted((nom, tuple(valeurs)) for nom, valeurs in request.GET.lists()))
    contenu = pages.get(cle)
    if contenu is None:
        filtre = _filtrees(request, Aide.objects.publiees())
        commune = filtre.commune_choisie
        saisie = "commune" + SUFFIXE_SAISIE
        if (commune and request.GET.get("commune") != commune.code) or (
            saisie in request.GET and filtre.is_valid()
        ):
            # A commune typed: redirect to the shareable URL keyed on its INSEE code alone.
            parametres = request.GET.copy()
            parametres.pop(saisie, None)
            parametres.pop("commune", None)
            if commune:
                parametres["commune"] = commune.code
            return redirect(f"{reverse('aides:liste')}?{parametres.urlencode()}")
        contenu = _contenu_liste(request, filtre, commune, fragments)
        pages.set(cle, contenu)
    return render(request, "aides/liste.html", {"contenu": contenu})


def _contenu_liste(request, filtre, commune, fragments) -> str:
    """The list below its breadcrumb. Rendered with the request only for ``{% querystring %}``
    (the query string is the key): the partial shows nothing of the user, no token, no nonce."""
    pks = rendu.resultats(filtre, fragments) if filtre.is_valid() else []
    page = Paginator(pks, PAR_PAGE).get_page(request.GET.get("page"))
    profession = filtre.form.cleaned_data.get("profession") if filtre.is_valid() else None
    zonages = list(Zonage.objects.filter(commune=commune).order_by("niveau")) if commune else []
    zonages_commune = [z for z in zonages if profession and z.profession == profession]
    html = render_to_string(
        "aides/_liste.html",
        {
            "filtre": filtre,
            "formulaire": rendu.formulaire(filtre, fragments),
            "page_obj": page,
            "cartes": rendu.cartes(list(page.object_list), fragments),
            "commune": commune,
            "zonage_fictif": any(z.fictif for z in zonages),
            "params_export": request.GET.urlencode(),
            "profession_choisie": profession,
            "profession_libelle": Profession(profession).label if profession else "",
            "zonages_commune": zonages_commune,
        },
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


def detail(request, slug):
    # The aid and its rendered content are kept per content version and day (aides.rendu).
    aide, contenu = rendu.aide_publiee(slug, Fragments.pour("aides", "installation"))
    if aide is None:
        raise Http404
    contenu_consulte.send(sender=Aide, objet=aide)
    return render(request, "aides/detail.html", {"aide": aide, "contenu": contenu})


def apercu(request, slug):
    """Preview for staff before publishing: any status, within their territory."""
    if not request.user.is_authenticated or not request.user.is_staff:
        raise Http404
    aide = get_object_or_404(Aide.objects.pour_liste(), slug=slug)
    if not scoping.est_national(request.user) and not _dans_perimetre(request.user, aide):
        raise Http404
    contexte = {"aide": aide, "contenu": rendu.contenu_aide(aide), "apercu": True}
    return render(request, "aides/detail.html", contexte)


def _dans_perimetre(user, aide) -> bool:
    from aides.admin import AideAdmin

    return AideAdmin.queryset_perimetre(Aide.objects.filter(pk=aide.pk), user).exists()


COLONNES_EXPORT = [
    "slug", "nom", "sigle", "type", "resume", "professions", "situations", "portee",
    "territoires", "zonage_requis", "montant", "unite", "duree_mois", "plafond", "engagement",
    "engagement_annees", "valide_du", "valide_au", "financeurs", "instructeurs", "base_legale",
    "source_url", "verifie_le", "url",
]  # fmt: skip


# The columns read from the aid itself (the others are built from its relations). Rows are
# plain values: an export of every aid at national scale (4,500 aids, 15,000 commune links,
# 12,000 fundings) as model instances grew each process by 100 MB, as values by a tenth of it.
CONSTRUITES = {"territoires", "financeurs", "instructeurs", "url"}
CHAMPS_EXPORT = ["id", *(c for c in COLONNES_EXPORT if c not in CONSTRUITES)]


def _par_aide(lignes) -> dict[int, list]:
    par_aide: dict[int, list] = {}
    for aide_id, *valeurs in lignes:
        par_aide.setdefault(aide_id, []).append(valeurs[0] if len(valeurs) == 1 else valeurs)
    return par_aide


def _lignes_export(request):
    filtre = _filtrees(request)
    if not filtre.is_valid():
        return
    aides = filtre.qs.prefetch_related(None)
    ids = aides.values("pk")
    territoires: dict[int, list] = {}
    for champ in ("regions", "departements", "communes"):
        relation = Aide._meta.get_field(champ)
        cible = relation.m2m_reverse_name()
        ordre = [f"{cible}__{o}" for o in relation.related_model._meta.ordering]  # as .all()
        lignes = (
            relation.remote_field.through.objects.filter(aide__in=ids)
            .order_by(*ordre, cible)
            .values_list("aide_id", cible)
        )
        for aide_id, codes in _par_aide(lignes).items():
            territoires.setdefault(aide_id, []).extend(codes)
    financements = _par_aide(
        Financement.objects.filter(aide__in=ids)
        .order_by("ordre", "pk")
        .values_list("aide_id", "role", "organisation__code")
    )
    # Each aid's address, reversed once: the slug ends it (Aide.get_absolute_url).
    adresse = request.build_absolute_uri(reverse("aides:detail", args=["x"]))[:-2]
    for aide in aides.values(*CHAMPS_EXPORT):
        roles = financements.get(aide["id"], [])
        yield {
            **{c: aide[c] for c in CHAMPS_EXPORT[1:6]},  # slug, nom, sigle, type, resume
            "professions": aide["professions"],
            "situations": aide["situations"],
            "portee": aide["portee"],
            "territoires": territoires.get(aide["id"], []),
            "zonage_requis": aide["zonage_requis"],
            "montant": None if aide["montant"] is None else float(aide["montant"]),
            "unite": aide["unite"] or None,
            "duree_mois": aide["duree_mois"],
            "plafond": None if aide["plafond"] is None else float(aide["plafond"]),
            "engagement": aide["engagement"],
            "engagement_annees": aide["engagement_annees"],
            "valide_du": aide["valide_du"].isoformat() if aide["valide_du"] else None,
            "valide_au": aide["valide_au"].isoformat() if aide["valide_au"] else None,
            "financeurs": [code for role, code in roles if role == "financeur"],
            "instructeurs": [code for role, code in roles if role == "instructeur"],
            "base_legale": aide["base_legale"],
            "source_url": aide["source_url"],
            "verifie_le": aide["verifie_le"].isoformat(),
            "url": f"{adresse}{aide['slug']}/",
        }


def export_json(request):
    return reponse_json("aides", _lignes_export(request))


def export_csv(request):
    lignes = (
        ["|".join(v) if isinstance(v, list) else v for v in (ligne[c] for c in COLONNES_EXPORT)]
        for ligne in _lignes_export(request)
    )
    return reponse_csv("aides.csv", COLONNES_EXPORT, lignes)


def simulateur(request):
    # The counter is read before the form looks the commune up (guichet.cache).
    fragments = Fragments.pour("aides") if request.GET else None
    form = SimulateurForm(request.GET or None)
    etape = form.etape_courante() if request.GET else 0
    contexte = {"form": form, "etape": etape, "etapes": ETAPES}
    if etape < len(ETAPES):
        noms = ETAPES[etape][1]
        contexte["champs"] = [form[nom] for nom in noms]
        # The other answers, carried along: a commune already resolved by its INSEE code.
        contexte["caches"] = list(form.reponses(sauf=noms).items()) if request.GET else []
        contexte["montrer_erreurs"] = any(form.repondu(nom) for nom in noms)
        return render(request, "aides/simulateur.html", contexte)
    donnees = form.cleaned_data
    commune = donnees["commune"]
    reponses = form.reponses()
    parametres = urlencode(reponses)
    simulation_faite.send(sender="aides", commune=commune)
    contexte.update(
        profession=donnees["profession"],
        situation=donnees["situation"],
        resultats=rendu.resultat_simulation(parametres, lambda: _projet(donnees), fragments),
        parametres=parametres,
        reponses=reponses,
        modifier=[
            (titre, urlencode({k: v for k, v in reponses.items() if k not in champs}))
            for titre, champs in ETAPES
        ],
        suites=suites_pour(profession=donnees["profession"], commune=commune),
    )
    response = render(request, "aides/simulateur_resultat.html", contexte)
    # Pre-fills a booking with the referent (rendezvous.views._initial).
    projet.memoriser(
        response,
        profession=donnees["profession"],
        situation=donnees["situation"],
        commune=commune.code,
    )
    return response


def _projet(donnees) -> eligibilite.Projet:
    return eligibilite.projet_pour(
        profession=donnees["profession"],
        situation=donnees["situation"],
        commune=donnees["commune"],
        exercice=donnees["exercice"],
        secteur=donnees["secteur"],
        premiere_installation=donnees["premiere"] == "oui",
        aide_recente=donnees["aide_recente"] == "oui",
    )


@login_required
@require_POST
@limiter("simulation", par_adresse="60/h", par_compte="30/h")
def simulation_enregistrer(request):
    form = SimulateurForm(request.POST)
    if form.etape_courante() < len(ETAPES):
        messages.error(request, "Cette simulation est incomplète : elle n'a pas été enregistrée.")
        return redirect("aides:simulateur")
    donnees = form.cleaned_data
    parametres = form.reponses()
    SimulationEnregistree.objects.get_or_create(
        utilisateur=request.user,
        parametres=urlencode(parametres),
        defaults={
            "libelle": f"{Profession(donnees['profession']).label} à {donnees['commune'].nom}"
        },
    )
    messages.success(request, "La simulation est enregistrée dans votre compte.")
    return redirect(f"{reverse('aides:simulateur')}?{urlencode(parametres)}")
