"""Fuzz every URL of the URLconf: hostile path values and GET parameters, never a 5xx.

Each URL is asked anonymously, then, where a login or a staff account is needed, as a
public user, as a referent and as a national administrator (who sees every object, so the
staff space's detail pages are reached with real ones).

The URL list comes from ``get_resolver()`` (the admin excepted: it has its own matrix). Path
converters are filled with real objects, then each one in turn with hostile values; each GET
parameter known to the app (read from its forms, filter sets and ``request.GET`` calls) gets
hostile values too. The views are fuzzed *without* the NUL/UTF-8 safety-net middleware, so
every parameter must be validated where it is read.
"""

import datetime
import inspect
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.aides.factories import AideFactory
from tests.espace.factories import AccompagnementFactory, QuestionFactory
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EffectifFactory,
    PopulationFactory,
    RegionFactory,
    UserFactory,
)
from tests.installation.factories import (
    DocumentFactory,
    EtapeFactory,
    EvenementFactory,
    PlanFactory,
)
from tests.opportunites.factories import OpportuniteFactory
from tests.rendezvous.factories import LieuFactory, PlageFactory, RendezVousFactory

RACINE = Path(settings.BASE_DIR)
APPS = ["guichet", "aides", "installation", "rendezvous", "demographie", "espace", "opportunites"]

# Raw query-string values (already percent-encoded where needed).
VALEURS_GET = [
    "%00",
    "a%00b",
    "%C3%28",
    "%FF%FE",
    "9" * 30,
    "-1",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31T99:99",
    "x" * 600 + "%3Cscript%3E",
    "1e309",
]
VALEURS_SEULES = ["a%00b", "9" * 30, "2026-02-30"]
VALEURS_CHEMIN = {
    "int": ["0", "2147483648", "99999999999999999999"],
    "str": ["inconnu", "%00", "%C3%28", "a" * 300, "%3Cscript%3E"],
    "slug": ["inconnu", "a" * 300],
    "path": ["inconnu", "%00"],
    "uuid": ["00000000-0000-0000-0000-000000000000"],
    "date": ["2026-02-30", "0000-01-01", "9999-12-31", "2026-13-01"],
    "niveau": ["france", "region", "departement", "commune"],
    "code": ["FR", "99", "2A", "00000", "0", "97999"],
    "regex": ["inconnu", "99", "2A", "00", "a" * 300],
}


def _motifs_publics(resolver=None, prefixe="", espace=""):
    """(route template, name, converters) of every URL pattern outside the admin."""
    resultat = []
    for motif in (resolver or get_resolver()).url_patterns:
        route = prefixe + str(motif.pattern)
        if route.startswith(settings.ADMIN_URL):
            continue
        if isinstance(motif, URLResolver):
            sous_espace = f"{espace}{motif.namespace}:" if motif.namespace else espace
            resultat += _motifs_publics(motif, route, sous_espace)
        elif isinstance(motif, URLPattern) and motif.name:
            resultat.append((f"{espace}{motif.name}", motif))
    return resultat


def _convertisseurs(motif) -> dict[str, str]:
    convertisseurs = getattr(motif.pattern, "converters", {}) or {}
    noms = {}
    for nom, conv in convertisseurs.items():
        nom_type = type(conv).__name__.replace("Converter", "").lower()
        noms[nom] = {"string": "str", "integer": "int"}.get(nom_type, nom_type)
    for nom in motif.pattern.regex.groupindex:
        noms.setdefault(nom, "regex")
    return noms


def _champs(classe) -> set[str]:
    champs = getattr(classe, "base_fields", None) or getattr(classe, "base_filters", None)
    return set(champs) if isinstance(champs, dict) else set()


def _parametres_get(vue) -> set[str]:
    """GET parameters a view reads: request.GET calls and the fields of the forms and filter
    sets it builds, in its own source and in the module's helpers it calls."""
    vue = inspect.unwrap(getattr(vue, "view_class", vue))
    try:
        module = inspect.getmodule(vue)
        sources = [inspect.getsource(vue)]
    except (OSError, TypeError):
        return {"next"}
    noms = set()
    vus = set()
    while sources:
        source = sources.pop()
        noms |= set(re.findall(r"GET(?:\.get|\.getlist)?\(\s*\"(\w+)\"", source))
        noms |= set(re.findall(r"GET\[\"(\w+)\"\]", source))
        for nom in set(re.findall(r"\b(\w+)\(", source)) - vus:
            vus.add(nom)
            objet = getattr(module, nom, None)
            if inspect.isclass(objet) and (
                issubclass(objet, forms.BaseForm) or hasattr(objet, "base_filters")
            ):
                noms |= _champs(objet)
            elif inspect.isfunction(objet) and objet.__module__ == module.__name__:
                sources.append(inspect.getsource(objet))
    if "request.GET" in "".join(inspect.getsource(vue)) and not noms:
        noms.add("q")
    return noms | {"next"} if "allauth" in module.__name__ else noms


@pytest.fixture
def monde(db, pages_editoriales):
    """Real objects for every path converter."""
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    commune = CommuneFactory(code="79191", nom="Niort", departement=dep)
    PopulationFactory(annee=2025, departement=dep)
    EffectifFactory(departement=dep)
    aide = AideFactory()
    etape = EtapeFactory()
    document = DocumentFactory()
    usager = UserFactory()
    plan = PlanFactory(utilisateur=usager, parcours=etape.parcours, commune=commune)
    evenement = EvenementFactory()
    plage = PlageFactory(lieu=LieuFactory(departement=dep))  # real codes only: no "R01" region
    rdv = RendezVousFactory(referent=plage.referent, lieu=plage.lieu)
    motif = rdv.motif
    plage.motifs.add(motif)
    question = QuestionFactory(commune=commune)
    suivi = AccompagnementFactory(commune_cible=commune, courriel=rdv.courriel)
    annonce = OpportuniteFactory(commune=commune, auteur=usager)
    return {
        "usager": usager,
        "referent": plage.referent.utilisateur,
        "national": UserFactory(admin_national=True),
        "reels": {
            "slug": [aide.slug, etape.parcours.slug],
            "etape_slug": etape.slug,
            "pk": [document.pk, plan.pk, evenement.pk, question.pk, suivi.pk],
            "etape_pk": etape.pk,
            "nom": document.nom_fichier or "document.pdf",
            "uuid": rdv.uuid,
            "jeton": "jeton-inconnu",
            "departement": "79",
            "motif": motif.slug,
            "jour": datetime.date.today(),
            "annee": 2025,
            "niveau": "departement",
            "code": "79",
            # URL names whose pk is a specific kind of object.
            "par_nom": {
                "espace:question": {"pk": question.pk},
                "espace:question_accompagnement": {"pk": question.pk},
                "espace:question_action": {"pk": question.pk},
                "espace:accompagnement": {"pk": suivi.pk},
                "espace:accompagnement_modifier": {"pk": suivi.pk},
                "opportunites:detail": {"pk": annonce.pk},
                "opportunites:modifier": {"pk": annonce.pk},
                "opportunites:action": {"pk": annonce.pk, "action": "pourvue"},
                "opportunites_moderation:annonce": {"pk": annonce.pk},
                "opportunites_moderation:decider": {"pk": annonce.pk, "decision": "publier"},
            },
        },
    }


def _chemins(nom, motif, reels):
    """The path with real values, then with each converter in turn hostile."""
    convertisseurs = _convertisseurs(motif)
    if not convertisseurs:
        return [reverse(nom)] if _reversible(nom, {}) else []
    candidats = {}
    propres = reels.get("par_nom", {}).get(nom, {})
    for param in convertisseurs:
        valeur = propres.get(param, reels.get(param, "1"))
        candidats[param] = valeur if isinstance(valeur, list) else [valeur]
    base = None
    for essai in _combinaisons(candidats):
        if _reversible(nom, essai):
            base = essai
            break
    if base is None:
        return []
    reel = reverse(nom, kwargs=base)
    chemins = [reel]
    for param, type_ in convertisseurs.items():
        texte = base[param].isoformat() if hasattr(base[param], "isoformat") else str(base[param])
        segment = quote(texte)
        if segment not in reel:
            continue
        debut = reel.rfind(segment)
        for hostile in VALEURS_CHEMIN.get(type_, VALEURS_CHEMIN["str"]):
            chemins.append(reel[:debut] + hostile + reel[debut + len(segment) :])
    return chemins


def _combinaisons(candidats):
    # Objects of the same kind share a value list (pk, slug): try them position by position.
    longueur = max(len(v) for v in candidats.values())
    for i in range(longueur):
        yield {k: v[min(i, len(v) - 1)] for k, v in candidats.items()}


def _reversible(nom, kwargs):
    try:
        reverse(nom, kwargs=kwargs)
        return True
    except Exception:
        return False


def _clients(monde):
    anonyme = Client(raise_request_exception=False)
    usager = Client(raise_request_exception=False)
    usager.force_login(monde["usager"])
    staff = Client(raise_request_exception=False)
    staff.force_login(monde["referent"])
    national = Client(raise_request_exception=False)
    national.force_login(monde["national"])
    return [anonyme, usager, staff, national]


def _demander(clients, url, compteur):
    """Anonymous first; where a login is asked or refused, as the public user, then as staff
    (a referent, then a national administrator)."""
    for rang, client in enumerate(clients):
        compteur["requetes"] += 1
        response = client.get(url)
        if response.status_code >= 500:
            return response.status_code
        redirection = response.get("Location", "") if response.status_code == 302 else ""
        connexion = re.search(r"/comptes/login/|/login/\?", redirection)
        refuse = response.status_code == 403 or (response.status_code == 404 and rang == 2)
        if not (connexion or refuse):
            return response.status_code
    return response.status_code


@pytest.mark.django_db
def test_aucune_url_ne_repond_5xx(monde, settings, capsys):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequeteHostile" not in m]
    settings.ACCOUNT_RATE_LIMITS = False
    clients = _clients(monde)
    compteur = {"requetes": 0}
    erreurs = []
    motifs = _motifs_publics()
    assert len(motifs) > 40
    reels = {}  # URL name -> status of its real path (the last client asked)
    journal = open(settings.BASE_DIR / ".data" / "fuzz.log", "w")  # progress of a long run
    for nom, motif in motifs:
        chemins = _chemins(nom, motif, monde["reels"])
        if not chemins:
            continue
        urls = list(chemins)
        noms_get = sorted(_parametres_get(motif.callback))
        # Every parameter hostile at once, with each value in turn (rotated so that each
        # parameter meets each value), then each parameter alone with the values that most
        # often slip past a view: a NUL byte inside the text, a huge number, an impossible date.
        for i in range(len(VALEURS_GET) if noms_get else 0):
            requete = "&".join(
                f"{p}={VALEURS_GET[(i + k) % len(VALEURS_GET)]}" for k, p in enumerate(noms_get)
            )
            urls.append(f"{chemins[0]}?{requete}")
        for param in noms_get if len(noms_get) > 1 else []:
            urls += [f"{chemins[0]}?{param}={valeur}" for valeur in VALEURS_SEULES]
        for url in urls:
            statut = _demander(clients, url, compteur)
            if url == chemins[0]:
                reels[nom] = statut
            if statut >= 500:
                erreurs.append(f"{statut} {nom} {url[:160]}")
                journal.write(f"  {erreurs[-1]}\n")
        journal.write(f"{compteur['requetes']} {nom} {len(erreurs)}\n")
        journal.flush()
    with capsys.disabled():
        print(f"\nfuzz : {compteur['requetes']} requêtes sur {len(motifs)} motifs d'URL")
    assert erreurs == []
    # The staff pages were reached with real objects, not only refused.
    for nom in ["espace:question", "espace:accompagnement", "espace:boite",
                "espace:tableau_de_bord", "rendezvous:agenda"]:  # fmt: skip
        assert reels.get(nom) == 200, (nom, reels.get(nom))


@pytest.mark.django_db
def test_le_filet_refuse_nul_et_utf8_invalide(client, pages_editoriales):
    assert client.get("/recherche/?q=a%00b").status_code == 400
    assert client.get("/recherche/?q=%C3%28").status_code == 400
    assert client.get("/aides/inconnu%00/").status_code in (400, 404)
    assert client.get("/recherche/?q=%C3%A9t%C3%A9").status_code == 200
