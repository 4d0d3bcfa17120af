"""Fuzz every URL of the URLconf: hostile and boundary path values and GET parameters, never
a 5xx (issue 28: ``?semaine=9999-12-31`` and ``?creneau=1-00010101T0000`` answered 500).

Each URL is asked anonymously, as a territorial agent (an ARS agent of the region) and as a
superuser; where the anonymous visitor is asked to log in, as a public user too, and where the
agent is refused, as a referent (the agenda is a referent's).

The URL list comes from ``get_resolver()`` (the admin excepted: it has its own matrix). Path
converters are filled with real objects, then each one in turn with hostile values; each GET
parameter known to the app (read from its forms, filter sets and ``request.GET`` calls) gets
hostile values too, and a test checks against the source that none is missed. The views are
fuzzed *without* the NUL/UTF-8 safety-net middleware, so every parameter must be validated
where it is read."""

import datetime
import inspect
import re
import time
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

# Boundary values of every kind a path or query value is parsed as (issue 28): dates at year 1
# and 9999 (in the path, around the portal's own bounds too), integers at 2³¹ and 2⁶³ (and
# negative), slot keys (``referent-YYYYMMDDTHHMM``) at those dates and ids, a digit Python reads
# but a database does not (Arabic-Indic three), empty, NUL, very long, non-UTF-8. One value per
# class: each is asked of every URL by three clients (hypothesis explores the classes in
# tests/guichet/test_parametres.py and tests/test_bornes_vues.py).
BORNES_DATES = ["0001-01-01", "9999-12-31"]
BORNES_ENTIERS = ["-1", "2147483648", "9223372036854775808", "%D9%A3"]
BORNES_CRENEAUX = ["1-00010101T0000", "9223372036854775808-20300101T1000"]
# Raw query-string values (already percent-encoded where needed).
VALEURS_GET = [
    "",
    "a%00b",
    "%C3%28",
    "x" * 5000 + "%3Cscript%3E",
    "1e309",
    *BORNES_ENTIERS,
    *BORNES_DATES,
    *BORNES_CRENEAUX,
]
# Each parameter alone: the values that most often slip past a view.
VALEURS_SEULES = ["a%00b", "9223372036854775808", "9999-12-31", "1-00010101T0000"]
VALEURS_CHEMIN = {
    "int": ["0", "2147483648", "9223372036854775807", "9223372036854775808", "9" * 400],
    "str": [
        "inconnu",
        "%00",
        "%C3%28",
        "a" * 300,
        "%3Cscript%3E",
        "9223372036854775808",
        "1-00010101T0000",
        "9999-12-31",
    ],
    "slug": ["inconnu", "a" * 300, "9223372036854775808"],
    "path": ["inconnu", "%00"],
    "uuid": ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"],
    "date": [
        "0001-01-01",
        "1999-12-31",
        "2000-01-01",
        "2100-12-31",
        "2101-01-01",
        "9999-12-31",
        "2026-02-30",
        "2026-13-01",
    ],
    "annee": ["0000", "1989", "1990", "2100", "2101", "9999", "32768", "9223372036854775808"],
    "niveau": ["france", "region", "departement", "commune"],
    "code": ["FR", "99", "2A", "00000", "0", "97999"],
    "regex": ["inconnu", "99", "2A", "00", "a" * 300, "9223372036854775808"],
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
        noms |= set(re.findall(r"\"(\w+)\" (?:not )?in (?:request\.)?GET", source))
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
        "agent": UserFactory(agent_ars=True, regions=[region]),
        "superuser": UserFactory(superuser=True),
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
    """Anonymous, a public user, a territorial agent (ARS agent of the region), a referent of
    the département, a superuser."""
    clients = {}
    for nom in ("anonyme", "usager", "agent", "referent", "superuser"):
        clients[nom] = Client(raise_request_exception=False)
        if nom != "anonyme":
            clients[nom].force_login(monde[nom])
    return clients


def _refuse(response, nom) -> bool:
    """Asked to log in, refused, or (for the agent) a 404: the agenda of a non-referent."""
    redirection = response.get("Location", "") if response.status_code == 302 else ""
    connexion = re.search(r"/comptes/login/|/login/\?", redirection)
    return (
        bool(connexion)
        or response.status_code == 403
        or (response.status_code == 404 and nom == "agent")
    )


def _demander(clients, url, compteur, tous=True):
    """Every URL anonymously, as the territorial agent and as the superuser; as the public user
    where the anonymous visitor is asked to log in; as the referent where the agent is refused
    (the agenda is a referent's). With ``tous=False``, only as far as needed to reach the view:
    anonymously, then the public user, then the superuser. Returns the statuses per client."""
    statuts = {}

    def demander(nom):
        compteur["requetes"] += 1
        response = clients[nom].get(url)
        statuts[nom] = response.status_code
        return response

    chaines = [("anonyme", "usager"), ("agent", "referent"), ("superuser", None)]
    if not tous:
        chaines = [("anonyme", "usager", "superuser")]
    for chaine in chaines:
        for nom in filter(None, chaine):
            response = demander(nom)
            if response.status_code >= 500 or not _refuse(response, nom):
                break
    return statuts


@pytest.mark.longue
@pytest.mark.django_db
def test_aucune_url_ne_repond_5xx(monde, settings, capsys, request):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequeteHostile" not in m]
    settings.ACCOUNT_RATE_LIMITS = False
    clients = _clients(monde)
    compteur = {"requetes": 0}
    erreurs = []
    motifs = _motifs_publics()
    assert len(motifs) > 40
    reels = {}  # URL name -> statuses of its real path, per client
    journal = open(settings.BASE_DIR / ".data" / "fuzz.log", "w")  # progress of a long run
    request.addfinalizer(journal.close)
    debut = time.monotonic()
    for nom, motif in motifs:
        chemins = _chemins(nom, motif, monde["reels"])
        if not chemins:
            continue
        urls = list(chemins)
        seules = []
        noms_get = sorted(_parametres_get(motif.callback))
        # Every parameter hostile at once, with each value in turn (rotated so that each
        # parameter meets each value), then each parameter alone with the values that most
        # often slip past a view: a NUL byte inside the text, a huge number, a date or a slot
        # at the calendar's ends.
        for i in range(len(VALEURS_GET) if noms_get else 0):
            requete = "&".join(
                f"{p}={VALEURS_GET[(i + k) % len(VALEURS_GET)]}" for k, p in enumerate(noms_get)
            )
            urls.append(f"{chemins[0]}?{requete}")
        for param in noms_get if len(noms_get) > 1 else []:
            seules += [f"{chemins[0]}?{param}={valeur}" for valeur in VALEURS_SEULES]
        for url in urls + seules:
            statuts = _demander(clients, url, compteur, tous=url not in seules)
            if url == chemins[0]:
                reels[nom] = statuts
            for client, statut in statuts.items():
                if statut >= 500:
                    erreurs.append(f"{statut} {client} {nom} {url[:160]}")
                    journal.write(f"  {erreurs[-1]}\n")
        duree = time.monotonic() - debut
        journal.write(f"{compteur['requetes']} {duree:.0f}s {nom} {len(erreurs)}\n")
        journal.flush()
    with capsys.disabled():
        print(
            f"\nfuzz : {compteur['requetes']} requêtes sur {len(motifs)} motifs d'URL "
            f"en {time.monotonic() - debut:.0f} s"
        )
    assert erreurs == []
    # The staff pages were reached with real objects, not only refused: by the territorial
    # agent or the referent, and by the superuser.
    for nom in [
        "espace:question",
        "espace:accompagnement",
        "espace:boite",
        "espace:tableau_de_bord",
        "rendezvous:agenda",
    ]:
        assert reels[nom]["superuser"] == 200, (nom, reels[nom])
        assert 200 in (reels[nom]["agent"], reels[nom].get("referent")), (nom, reels[nom])


@pytest.mark.django_db
def test_le_filet_refuse_nul_et_utf8_invalide(client, pages_editoriales):
    assert client.get("/recherche/?q=a%00b").status_code == 400
    assert client.get("/recherche/?q=%C3%28").status_code == 400
    assert client.get("/aides/inconnu%00/").status_code in (400, 404)
    assert client.get("/recherche/?q=%C3%A9t%C3%A9").status_code == 200


def test_chaque_parametre_lu_est_fuzze():
    """Every name the code reads from ``request.GET`` (grep of the apps) is a parameter the fuzz
    sends to at least one URL."""
    lus = set()
    for app in APPS:
        for fichier in (RACINE / app).rglob("*.py"):
            source = fichier.read_text()
            lus |= set(re.findall(r"GET(?:\.get|\.getlist)?\(\s*\"(\w+)\"", source))
            lus |= set(re.findall(r"GET\[\"(\w+)\"\]", source))
            lus |= set(re.findall(r"\"(\w+)\" (?:not )?in (?:request\.)?GET", source))
    fuzzes = set().union(*(_parametres_get(motif.callback) for _, motif in _motifs_publics()))
    assert {"semaine", "creneau", "annee", "referent", "page", "q"} <= lus
    assert lus - fuzzes == set()
