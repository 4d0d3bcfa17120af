"""Writes of the installation app: loading the parcours, storing documents, personal plans,
and the printable plan."""

import hashlib
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from aides import eligibilite
from aides.models import Aide, Organisation
from guichet.csv_export import texte_csv
from guichet.imports import ErreurImport
from guichet.models import JeuDeDonnees
from guichet.pdf import html_vers_pdf
from guichet.vocabulaire import ModeExercice, Public, Situation
from installation import rendu
from installation.models import Document, Etape, Parcours, Phase, Plan, SuiviEtape

FICHIER_PARCOURS = Path(__file__).resolve().parent.parent / "fixtures" / "parcours.yaml"

PUBLICS_PAR_MODE = {
    ModeExercice.LIBERAL: [Public.PROFESSIONNELS, Public.ETUDIANTS],
    ModeExercice.COORDONNE: [Public.PORTEURS, Public.ELUS, Public.PROFESSIONNELS],
    ModeExercice.SALARIE: [Public.PROFESSIONNELS, Public.ETUDIANTS],
}


# -- loading the parcours -------------------------------------------------------------------


def parcours_charger(*, fichier: Path = FICHIER_PARCOURS, force: bool = False) -> dict:
    """Create or update the organisations, parcours and steps of a YAML file, all or nothing.

    The aids catalogue must be loaded first (steps link to aids by slug). Parcours are matched
    on their slug and steps on (parcours, slug); steps that staff added are kept. Skips the work
    when this exact file was already loaded (unless ``force``).
    """
    contenu = Path(fichier).read_bytes()
    empreinte = hashlib.sha256(contenu).hexdigest()
    if not force and JeuDeDonnees.objects.est_charge("parcours", empreinte):
        return {"deja_charge": True}
    donnees = yaml.safe_load(contenu)
    erreurs = []
    phases_fichier = [p["code"] for p in donnees.get("phases") or []]
    if phases_fichier and phases_fichier != Phase.values:
        erreurs.append(f"phases : attendu {Phase.values}, trouvé {phases_fichier}")
    with transaction.atomic():
        for entree in donnees.get("organisations") or []:
            Organisation.objects.update_or_create(
                code=entree["code"],
                defaults={
                    "nom": entree["nom"],
                    "type": entree["type"],
                    "site": entree.get("site") or "",
                },
            )
        organisations = {o.code: o for o in Organisation.objects.all()}
        aides = {a.slug: a for a in Aide.objects.all()}
        nb_etapes = 0
        for rang, entree in enumerate(donnees["parcours"], start=1):
            try:
                nb_etapes += _parcours(entree, rang, organisations, aides, erreurs)
            except (KeyError, ValueError) as exc:
                erreurs.append(f"parcours n° {rang} ({entree.get('slug', '?')}) : {exc!r}")
        if erreurs:
            transaction.set_rollback(True)
            raise ErreurImport(erreurs)
        JeuDeDonnees.objects.marquer_charge("parcours", empreinte)
    return {"parcours": len(donnees["parcours"]), "etapes": nb_etapes}


def _parcours(entree, rang, organisations, aides, erreurs) -> int:
    mode = ModeExercice(entree["mode_exercice"])
    parcours, _ = Parcours.objects.update_or_create(
        slug=entree["slug"],
        defaults={
            "titre": entree["titre"],
            "profession": entree["profession"],
            "mode_exercice": mode,
            "introduction": entree["introduction"].strip(),
            "publics": [p.value for p in PUBLICS_PAR_MODE[mode]],
            "ordre": rang,
            "region": None,
            "departement": None,
        },
    )
    parcours.full_clean(validate_unique=False, validate_constraints=False)
    rang_phase = {code: i for i, code in enumerate(Phase.values)}
    precedente = 0
    for ordre, e in enumerate(entree["etapes"], start=1):
        ou = f"parcours {parcours.slug}, étape {e.get('slug', ordre)}"
        if e["phase"] not in rang_phase:
            erreurs.append(f"{ou} : phase inconnue « {e['phase']} »")
            continue
        if rang_phase[e["phase"]] < precedente:
            erreurs.append(f"{ou} : les étapes doivent suivre l'ordre des phases")
        precedente = rang_phase[e["phase"]]
        if e["organisation"] not in organisations:
            erreurs.append(f"{ou} : organisation inconnue « {e['organisation']} »")
            continue
        inconnues = [s for s in e.get("aides") or [] if s not in aides]
        if inconnues:
            erreurs.append(f"{ou} : aides inconnues {inconnues}")
            continue
        etape, _ = Etape.objects.update_or_create(
            parcours=parcours,
            slug=e["slug"],
            defaults={
                "phase": e["phase"],
                "ordre": ordre * 10,
                "titre": e["titre"],
                "description": e["description"].strip(),
                "organisation": organisations[e["organisation"]],
                "pieces": (e.get("pieces") or "").strip(),
                "duree": e.get("duree") or "",
                "service_en_ligne": e.get("service_en_ligne") or "",
                "obligatoire": bool(e.get("obligatoire")),
                "region": None,
                "departement": None,
            },
        )
        etape.full_clean(validate_unique=False, validate_constraints=False)
        etape.aides.set([aides[s] for s in e.get("aides") or []])
    return len(entree["etapes"])


# -- documents ------------------------------------------------------------------------------


def document_enregistrer(*, titre: str, nom: str, contenu: bytes, **champs) -> Document:
    """Create or replace (same title and territory) a document from bytes, validated like an
    upload. ``champs`` takes the other fields and the lists ``parcours``, ``etapes``, ``aides``.
    """
    liens = {cle: champs.pop(cle, None) for cle in ("parcours", "etapes", "aides")}
    fichier = ContentFile(contenu, name=nom)
    with transaction.atomic():
        document = Document.objects.filter(
            titre=titre,
            region=champs.get("region"),
            departement=champs.get("departement"),
        ).first() or Document(titre=titre)
        for cle, valeur in champs.items():
            setattr(document, cle, valeur)
        document.fichier = fichier
        document.full_clean()
        document.save()  # the format is read first, then the file stored under a random name
        for cle, valeurs in liens.items():
            if valeurs is not None:
                getattr(document, cle).set(valeurs)
    return document


def liste_controle_pdf(*, parcours: Parcours) -> bytes:
    """The parcours' national steps and documents to provide, as a printable checklist."""
    html = render_to_string(
        "installation/liste_controle.html",
        {
            "parcours": parcours,
            "etapes": list(parcours.etapes_pour(None)),
            "genere_le": timezone.localtime(),
            "PORTAIL_NOM": settings.PORTAIL_NOM,
            "ARS_NOM": settings.ARS_NOM,
        },
    )
    return html_vers_pdf(html)


def calendrier_csv(*, parcours: Parcours, plan: Plan | None = None) -> bytes:
    """The parcours' steps as a spreadsheet (UTF-8 with BOM, ``;``-separated).

    With a personal plan: the steps of the plan's département, each with the date the user
    set (planned or done) and whether it is done; without one, the national steps, undated.
    """
    entetes = [
        "Ordre",
        "Phase",
        "Étape",
        "Qui s'en occupe",
        "Durée ou délai",
        "Obligatoire",
        "Service en ligne",
    ]
    if plan is None:
        etapes = list(parcours.etapes_pour(None))
    else:
        etapes = plan.etapes()
        entetes += ["Date prévue ou réalisée", "Fait"]
    lignes = []
    for rang, etape in enumerate(etapes, start=1):
        ligne = [
            rang,
            etape.get_phase_display(),
            etape.titre,
            etape.organisation.nom,
            etape.duree,
            etape.obligatoire,
            etape.service_en_ligne,
        ]
        if plan is not None:
            ligne += [etape.date_suivi, etape.fait]
        lignes.append(ligne)
    return texte_csv(entetes, lignes).encode("utf-8")


def documents_relier_plans(*, documents, utilisateur) -> None:
    """Set ``plan_csv`` on each parcours timetable whose parcours the user follows in a plan:
    the same timetable with the user's own dates (two queries for the whole page)."""
    tableurs = [d for d in documents if d.type == Document.Type.TABLEUR]
    if not tableurs:
        return
    plans = dict(Plan.objects.filter(utilisateur=utilisateur).values_list("parcours_id", "pk"))
    liens = Document.parcours.through.objects.filter(
        document__in=tableurs, parcours_id__in=plans
    ).values_list("document_id", "parcours_id")
    par_document = dict(liens)
    for document in tableurs:
        if document.pk in par_document:
            document.plan_csv = reverse(
                "installation:plan_csv", args=[plans[par_document[document.pk]]]
            )


# -- personal plans -------------------------------------------------------------------------


def plan_commencer(*, utilisateur, parcours: Parcours, commune) -> Plan:
    """Start (or move to another commune) the user's plan for a parcours."""
    plan, cree = Plan.objects.get_or_create(
        utilisateur=utilisateur, parcours=parcours, defaults={"commune": commune}
    )
    if not cree and plan.commune_id != commune.pk:
        plan.commune = commune
        plan.save(update_fields=["commune", "modifie_le"])
    return plan


def etape_suivre(*, plan: Plan, etape: Etape, fait: bool, date=None, note: str = "") -> SuiviEtape:
    """Record where the user is on a step of their plan."""
    if etape.parcours_id != plan.parcours_id:
        raise ValueError("Cette étape n'appartient pas au parcours du plan.")
    with transaction.atomic():
        suivi, _ = SuiviEtape.objects.update_or_create(
            plan=plan, etape=etape, defaults={"fait": fait, "date": date, "note": note.strip()}
        )
        Plan.objects.filter(pk=plan.pk).update(modifie_le=timezone.now())
    return suivi


def plan_contenu(plan: Plan) -> dict:
    """Everything the plan page and its PDF show (same data, same partials)."""
    departement = plan.commune.departement
    gardees, contacts = rendu.etapes_et_contacts(plan.parcours, departement)
    etapes = plan.etapes(gardees)
    faites = sum(1 for e in etapes if e.fait)
    user = plan.utilisateur
    profession = plan.parcours.profession
    if profession == "autre" and user.profession:
        profession = user.profession
    projet, simulation = eligibilite.simulation_gardee(
        profession=profession,
        situation=user.situation or Situation.AUTRE,
        commune=plan.commune,
    )
    return {
        "plan": plan,
        "etapes": etapes,
        "faites": faites,
        "total": len(etapes),
        "pourcentage": round(100 * faites / len(etapes)) if etapes else 0,
        "departement": departement,
        "contacts": contacts,
        "simulation": simulation,
        "projet": projet,
    }


def plan_pdf(*, plan: Plan) -> bytes:
    """ "Mon plan d'installation" as a tagged PDF."""
    html = render_to_string(
        "installation/plan_imprimable.html",
        {
            **plan_contenu(plan),
            "imprimable": True,
            "genere_le": timezone.localtime(),
            "PORTAIL_NOM": settings.PORTAIL_NOM,
            "ARS_NOM": settings.ARS_NOM,
        },
    )
    return html_vers_pdf(html)


# -- audience spaces ------------------------------------------------------------------------


AIDES_PAR_PUBLIC = {
    Public.ETUDIANTS: Q(situations__overlap=["etudiant", "interne", "docteur-junior"]),
    Public.PROFESSIONNELS: Q(type__in=["aide-installation", "aide-maintien", "exoneration"]),
    Public.PORTEURS: Q(type="exercice-coordonne") | Q(situations__contains=["porteur-de-projet"]),
    Public.ELUS: Q(type__in=["exercice-coordonne", "accompagnement"])
    | Q(situations__contains=["elu"]),
}


def contenu_espace(public: str, *, limite: int = 6) -> dict:
    """The parcours, aids, documents, events and news an audience page gathers."""
    from installation.models import Actualite, Evenement

    return {
        "parcours": list(Parcours.objects.publies().nationaux().pour_public(public)),
        "aides": list(
            Aide.objects.publiees()
            .ouvertes()
            .filter(AIDES_PAR_PUBLIC[Public(public)])
            .order_by("nom")[: limite * 2]
        ),
        "documents": list(Document.objects.publies().pour_public(public).pour_liste()[:limite]),
        "evenements": list(
            Evenement.objects.publies().a_venir().pour_public(public).pour_liste()[:limite]
        ),
        "actualites": list(
            Actualite.objects.publiees()
            .filter(publics__contains=[public])
            .select_related("region", "departement")[:limite]
        ),
    }
