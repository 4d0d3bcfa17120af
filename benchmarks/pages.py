"""The pages of `make bench`, taken from the URLconf and filled from the benchmark database.

Every URL pattern outside the admin is classified by an anonymous GET of one representative
address (path parameters from the dataset, a realistic query string where the page reads one):
- answers 200: a public page, measured under load (`mesurees`);
- sends to a login page, answers 403 or 405: not public (`reservees`), measured signed in when
  it is one of `SIGNEES`;
- listed in `EXCLUES`: left out, for the reason given there;
- anything else (a parameter the dataset cannot fill, a 404, a 500…): `a_classer`, which fails
  `make bench` and tests/benchmarks/test_pages_du_banc.py until the pattern gets a value in
  `parametres()` or a line in `EXCLUES`.
"""

import datetime
import uuid
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

DEPARTEMENT = "79"
REGION = "75"
COMMUNE = "79191"  # Niort
MOTIF = "premier-entretien-installation"
SIMULATION = {
    "profession": "medecin-generaliste",
    "situation": "interne",
    "commune": COMMUNE,
    "exercice": "seul",
    "secteur": "secteur-1",
    "premiere": "oui",
    "aide_recente": "non",
}

# Patterns answering 200 to an anonymous GET that the load series leaves out, and why.
EXCLUES = {
    "demographie:bulletin_pdf": "PDF rendu par la tâche planifiée, jamais pour une requête : "
    "son service par HTTP est mesuré à part (section mémoire), son rendu par bench_demographie",
    "rendezvous:gerer": "page personnelle d'un rendez-vous, ouverte par le jeton secret reçu par "
    "courriel : ni publique ni partageable en cache",
    "rendezvous:gerer_deplacer": "idem rendezvous:gerer (jeton secret personnel)",
    "rendezvous:confirmation": "confirmation d'une réservation (uuid personnel du rendez-vous)",
    "rendezvous:flux_ical": "flux iCalendar privé d'un référent (jeton secret)",
    "account_confirm_email": "lien de confirmation d'adresse à clé personnelle (allauth)",
    "account_reset_password_from_key": "lien de réinitialisation à clé personnelle (allauth)",
    # Neither 200 nor a login page for an anonymous reader:
    "aides:apercu": "aperçu d'une aide avant publication, réservé à l'équipe : 404 pour un "
    "anonyme, qui ne doit pas apprendre qu'une aide non publiée existe",
    "question:envoyee": "accusé d'envoi d'une question : sans question envoyée dans la session, "
    "renvoie au formulaire (302), qui est mesuré (question:poser)",
    "rendezvous:reserver": "formulaire de réservation d'un créneau choisi sur la page des "
    "créneaux (mesurée) : 404 sans les paramètres d'un créneau libre, qu'une charge "
    "répétée épuiserait ; jeton anti-rejeu propre à chaque affichage",
    "account_logout": "déconnexion : un anonyme est renvoyé à l'accueil (302)",
    "favicon": "redirection (302) vers l'icône statique du DSFR, servie par whitenoise",
    "security_txt": "404 tant que SECURITE_CONTACT n'est pas réglé (le banc ne le règle pas)",
    "opportunites:flux": "flux RSS personnel d'une alerte (jeton secret) : ni public ni "
    "partageable en cache",
    "opportunites:desabonner": "lien de désabonnement d'une alerte (jeton secret personnel)",
}

# Query strings of the pages that read one: (name suffix, path parameters, query). The first
# entry is the pattern's representative address; the others are measured as variants.
VARIANTES = {
    "aides:liste": [
        ("filtres", {}, {"profession": "medecin-generaliste", "departement": DEPARTEMENT}),
        ("texte", {}, {"q": "installation médecin"}),
    ],
    "aides:simulateur": [("résultat", {}, SIMULATION)],
    "opportunites:liste": [
        ("", {}, {}),
        (
            "filtres et rayon",
            {},
            {"profession": "medecin-generaliste", "commune": COMMUNE, "rayon": "30"},
        ),
    ],
    "guichet:communes": [("", {}, {"q": "st etienne"})],
    "guichet:recherche": [("", {}, {"q": "installation médecin"})],
    "demographie:territoire": [
        ("région", {"niveau": "region", "code": REGION}, {}),
        ("département", {"niveau": "departement", "code": DEPARTEMENT}, {}),
    ],
}

# Signed-in pages of the targets: URL name → session ("agent": the national
# administrator, "usager": a public user with a plan).
SIGNEES = {
    "espace:tableau_de_bord": "agent",
    "espace:boite": "agent",
    "rendezvous:agenda_semaine": "agent",
    "installation:plan": "usager",
}
COURRIEL_AGENT = "admin@demo.guichet-sante.fr"  # guichet.demo.COMPTES[0]
COURRIEL_USAGER = "usager@banc.invalid"
COURRIEL_ANNONCEUR = "annonce-document@banc.invalid"


def motifs() -> list[tuple[str, str, URLPattern]]:
    """(URL name, full route, pattern) of every named pattern outside the admin and the bench."""
    resultat = []

    def parcourir(resolver, prefixe, espace):
        for motif in resolver.url_patterns:
            # Joined as ResolverMatch.route is: a regex's "^" dropped after a prefix.
            route = prefixe + (
                str(motif.pattern).removeprefix("^") if prefixe else str(motif.pattern)
            )
            if route.startswith((settings.ADMIN_URL, "_bench/")):
                continue
            if isinstance(motif, URLResolver):
                sous = f"{espace}{motif.namespace}:" if motif.namespace else espace
                parcourir(motif, route, sous)
            elif isinstance(motif, URLPattern) and motif.name:
                resultat.append((f"{espace}{motif.name}", route, motif))

    parcourir(get_resolver(), "", "")
    return resultat


def parametres() -> dict[str, dict]:
    """Path parameters from the dataset: by URL name, then "*" for any pattern. A value the
    dataset cannot give is left out (its patterns then end up `a_classer`)."""
    from aides.models import Aide
    from demographie.models import Effectif
    from installation.models import Document, Etape, Evenement, Parcours

    aide = Aide.objects.publiees().filter(exemple=False).order_by("pk").first()
    parcours = Parcours.objects.publies().order_by("pk").first()
    etape = Etape.objects.filter(parcours=parcours).order_by("pk").first()
    document = Document.objects.publies().order_by("pk").first()
    evenement = Evenement.objects.publies().order_by("pk").first()
    annee = Effectif.objects.order_by("-annee").values_list("annee", flat=True).first()
    jour = timezone.localdate()
    lundi = jour - datetime.timedelta(jour.weekday())
    tous = {
        "departement": DEPARTEMENT,
        "motif": MOTIF,
        "jour": lundi,
        "pk": 1,
        "uuid": uuid.UUID(int=0),
        "jeton": "jeton-du-banc",
        "action": "repondre",
    }
    departement = {"niveau": "departement", "code": DEPARTEMENT}
    par_nom = {
        "guichet:commune": {"code": COMMUNE},
        "agenda:region_ics": {"code": REGION},
        "demographie:territoire": departement,
        "demographie:territoire_csv": departement,
        "sitemap_section": {"section": "aides"},
        "opportunites_moderation:decider": {"decision": "publier"},
    }
    if annee:
        tous["annee"] = annee
    if aide:
        par_nom["aides:detail"] = par_nom["aides:apercu"] = {"slug": aide.slug}
    if parcours:
        tous["slug"] = parcours.slug
    dossier = next(
        (p for p in Parcours.objects.publies().order_by("pk") if p.documents_pour().exists()), None
    )
    if dossier:  # the "whole file" ZIP of a parcours that has documents
        par_nom["installation:dossier_zip"] = {"slug": dossier.slug}
    if etape:
        tous.update(etape_slug=etape.slug, etape_pk=etape.pk)
    if document:
        par_nom["installation:document_telecharger"] = {
            "pk": document.pk,
            "nom": document.nom_fichier,
        }
    if evenement:
        par_nom["agenda:evenement"] = par_nom["agenda:evenement_ics"] = {"pk": evenement.pk}
    return {"*": tous, **par_nom, **_annonces()}


def _annonces() -> dict[str, dict]:
    """A published post of the département (of the country otherwise) and the one with a
    PDF (preparer_annonce_document())."""
    from opportunites.models import Opportunite

    annonces = Opportunite.objects.publiees().order_by("pk")
    annonce = annonces.filter(commune__departement=DEPARTEMENT).first() or annonces.first()
    avec_document = annonces.exclude(piece_jointe="").first()
    par_nom = {}
    if annonce:
        par_nom["opportunites:detail"] = {"pk": annonce.pk}
    if avec_document:
        par_nom["opportunites:piece_jointe"] = {"pk": avec_document.pk}
    return par_nom


def _adresses(nom, route, motif, valeurs):
    """(key, path) of the pattern's representative address and its variants, or an error."""
    noms_params = set(motif.pattern.converters) | set(motif.pattern.regex.groupindex)
    propres = {**valeurs["*"], **valeurs.get(nom, {})}
    variantes = [v for v in VARIANTES.get(nom, [("", {}, {})]) if set(v[1]) <= noms_params]
    adresses = []
    for suffixe, imposes, requete in variantes or [("", {}, {})]:
        manquants = noms_params - set(propres) - set(imposes)
        if manquants:
            return f"paramètre sans valeur dans le jeu du banc : {', '.join(sorted(manquants))}"
        kwargs = {p: {**propres, **imposes}[p] for p in noms_params}
        try:
            chemin = reverse(nom, kwargs=kwargs)
        except NoReverseMatch:
            return f"adresse impossible à construire avec {kwargs}"
        try:
            if resolve(chemin).route != route:
                return f"{chemin} mène à un autre motif ({resolve(chemin).route})"
        except Resolver404:
            return f"{chemin} ne correspond à aucun motif"
        cle = f"{nom} ({suffixe})" if suffixe else nom
        adresses.append((cle, chemin + ("?" + urlencode(requete) if requete else "")))
    return adresses


def _connexion(reponse) -> bool:
    """A redirection to the portal's or the admin's login page."""
    if reponse.status_code != 302:
        return False
    cible = urlsplit(reponse["Location"]).path
    return cible in (reverse(settings.LOGIN_URL), reverse("admin:login"))


def classer(client) -> dict[str, dict]:
    """Every pattern outside the admin, classified by an anonymous GET (see the module)."""
    valeurs = parametres()
    classes = {"mesurees": {}, "reservees": {}, "exclues": {}, "a_classer": {}}
    for nom, route, motif in motifs():
        if nom in EXCLUES:
            classes["exclues"][route] = {"nom": nom, "raison": EXCLUES[nom]}
            continue
        adresses = _adresses(nom, route, motif, valeurs)
        if isinstance(adresses, str):
            classes["a_classer"][route] = {"nom": nom, "raison": adresses}
            continue
        for cle, chemin in adresses:
            reponse = client.get(chemin, secure=True)
            reponse.getvalue()  # read to the end (the test client then closes it)
            if reponse.status_code == 200:
                if cle in classes["mesurees"]:  # a second pattern of the same name
                    cle = f"{cle} ({urlsplit(chemin).path})"
                classes["mesurees"][cle] = {"nom": nom, "route": route, "chemin": chemin}
            elif _connexion(reponse) or reponse.status_code in (403, 405):
                classes["reservees"][route] = {
                    "nom": nom,
                    "chemin": chemin,
                    "statut": reponse.status_code,
                }
            else:
                classes["a_classer"][route] = {
                    "nom": nom,
                    "raison": f"GET anonyme de {chemin} : HTTP {reponse.status_code}",
                }
    return classes


def signees(sessions: dict) -> dict[str, dict]:
    """Path and session of each signed-in page; `sessions` from `preparer_sessions()`."""
    from django.db.models import Count

    from rendezvous.models import Referent

    # The agenda of the referent with the most meetings (the bench's busiest at national scale).
    referent = Referent.objects.annotate(n=Count("rendezvous")).order_by("-n", "pk").first()
    jour = timezone.localdate()
    lundi = jour - datetime.timedelta(jour.weekday())
    chemins = {
        "espace:tableau_de_bord": reverse("espace:tableau_de_bord"),
        "espace:boite": reverse("espace:boite"),
        "rendezvous:agenda_semaine": reverse("rendezvous:agenda_semaine", args=[lundi])
        + (f"?referent={referent.pk}" if referent else ""),
        "installation:plan": reverse("installation:plan", args=[sessions["plan"]]),
    }
    return {nom: {"chemin": chemins[nom], "session": role} for nom, role in SIGNEES.items()}


def preparer_sessions() -> dict:
    """The bench's signed-in users, in the benchmark database only: the national administrator
    (an authenticator app enrolled, as the MFA middleware requires) and a public user with a
    plan. Idempotent."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from guichet.models import Commune, User
    from installation import services
    from installation.models import Parcours

    agent = User.objects.get(email=COURRIEL_AGENT)
    if not Authenticator.objects.filter(user=agent, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(agent, generate_totp_secret())
    usager, _ = User.objects.get_or_create(email=COURRIEL_USAGER, defaults={"first_name": "Usager"})
    plan = services.plan_commencer(
        utilisateur=usager,
        parcours=Parcours.objects.publies().order_by("pk").first(),
        commune=Commune.objects.get(code=COMMUNE),
    )
    return {"agent": agent, "usager": usager, "plan": plan.pk}


def preparer_annonce_document():
    """A published post with a PDF, fictitious, in the benchmark database only (the dataset's
    posts have none: an upload goes through the form's checks). Idempotent."""
    import io

    from django.core.files.base import ContentFile
    from pypdf import PdfWriter

    from guichet.models import Commune, User
    from opportunites.models import Opportunite

    auteur, _ = User.objects.get_or_create(
        email=COURRIEL_ANNONCEUR, defaults={"last_name": "Banc (fictif)"}
    )
    annonce = Opportunite.objects.filter(auteur=auteur).first()
    if (
        annonce
        and annonce.piece_jointe
        and annonce.piece_jointe.storage.exists(annonce.piece_jointe.name)
    ):
        return annonce
    annonce = annonce or Opportunite(
        titre="Cabinet à reprendre, plan joint (annonce fictive du banc)",
        nature=Opportunite.Nature.REPRISE,
        professions=["medecin-generaliste"],
        commune=Commune.objects.get(code=COMMUNE),
        description="Plan du cabinet en pièce jointe.\n\n*Annonce fictive du banc d'essai.*",
        auteur=auteur,
        qualite_auteur=Opportunite.QualiteAuteur.PROFESSIONNEL,
        fictive=True,
    )
    pdf = PdfWriter()
    pdf.add_blank_page(width=595, height=842)
    tampon = io.BytesIO()
    pdf.write(tampon)
    annonce.piece_jointe.save("plan-du-cabinet.pdf", ContentFile(tampon.getvalue()), save=False)
    if annonce.pk is None:
        annonce.soumettre()
        annonce.publier(None)
    annonce.save()
    return annonce


def bulletin(annee: int) -> str:
    return reverse("demographie:bulletin_pdf", args=[annee, "region", REGION])
