"""Writes of the aids app: loading the catalogue and importing zoning decrees."""

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from aides import references
from aides.models import Aide, Financement, Organisation, Zonage
from guichet.audit import tracer_operation
from guichet.imports import ErreurImport
from guichet.models import Commune, Departement, JeuDeDonnees, Region
from guichet.publication import StatutPublication
from guichet.vocabulaire import Profession

CATALOGUE = Path(__file__).resolve().parent.parent / "fixtures" / "aides.yaml"


# -- catalogue of aids ---------------------------------------------------------------------


def catalogue_charger(*, fichier: Path = CATALOGUE, force: bool = False) -> dict:
    """Create or update the organisations and aids of a YAML catalogue, all or nothing.

    Aids are matched on their slug; staff edits of an aid absent from the file are kept.
    Skips the work when this exact file was already loaded (unless ``force``).
    """
    contenu = Path(fichier).read_bytes()
    empreinte = hashlib.sha256(contenu).hexdigest()
    if not force and JeuDeDonnees.objects.est_charge("aides", empreinte):
        return {"deja_charge": True}
    donnees = yaml.safe_load(contenu)
    with transaction.atomic():
        organisations = {o["code"]: _organisation(o) for o in donnees["organisations"]}
        aides = {}
        erreurs = []
        for position, entree in enumerate(donnees["aides"], start=1):
            try:
                aides[entree["slug"]] = _aide(entree, organisations)
            except (KeyError, ValueError, InvalidOperation) as exc:
                erreurs.append(f"aide n° {position} ({entree.get('slug', '?')}) : {exc}")
        if erreurs:
            raise ErreurImport(erreurs)
        for entree in donnees["aides"]:
            manquantes = [s for s in entree.get("liees") or [] if s not in aides]
            if manquantes:
                erreurs.append(f"aide {entree['slug']} : aides liées inconnues {manquantes}")
                continue
            aides[entree["slug"]].liees.set([aides[s] for s in entree.get("liees") or []])
            inconnues = sorted(_references(entree) - aides.keys())
            if inconnues:
                erreurs.append(
                    f"aide {entree['slug']} : renvois [[…]] vers des aides inconnues {inconnues}"
                )
        if erreurs:
            raise ErreurImport(erreurs)
        JeuDeDonnees.objects.marquer_charge("aides", empreinte)
    return {"organisations": len(organisations), "aides": len(aides)}


CHAMPS_TEXTE = ("description", "cumul", "remarques_montant", "engagement", "versement", "contact")


def _references(entree: dict) -> set[str]:
    return set().union(*(references.slugs_cites(entree.get(c) or "") for c in CHAMPS_TEXTE))


def _organisation(entree: dict) -> Organisation:
    territoire = entree.get("territoire") or {}
    org, _ = Organisation.objects.update_or_create(
        code=entree["code"],
        defaults={
            "nom": entree["nom"],
            "type": entree["type"],
            "site": entree.get("site") or "",
            "region": Region.objects.get(pk=territoire["code"])
            if territoire.get("niveau") == "region"
            else None,
            "departement": Departement.objects.get(pk=territoire["code"])
            if territoire.get("niveau") == "departement"
            else None,
        },
    )
    return org


def _aide(entree: dict, organisations: dict[str, Organisation]) -> Aide:
    conditions = entree.get("conditions") or {}
    montant = entree.get("montant")
    plafond = entree.get("plafond")
    aide, _ = Aide.objects.update_or_create(
        slug=entree["slug"],
        defaults={
            "nom": entree["nom"],
            "sigle": entree.get("sigle") or "",
            "resume": entree["resume"],
            "description": entree["description"],
            "type": entree["type"],
            "professions": entree.get("professions") or [],
            "situations": entree.get("situations") or [],
            "portee": entree["portee"],
            "zonage_requis": entree.get("zonage_requis") or [],
            "montant": None if montant is None else Decimal(str(montant)),
            "unite": entree.get("unite") or "",
            "duree_mois": entree.get("duree_mois"),
            "plafond": None if plafond is None else Decimal(str(plafond)),
            "versement": entree.get("versement") or "",
            "remarques_montant": entree.get("remarques_montant") or "",
            "engagement": entree.get("engagement") or "",
            "engagement_annees": entree.get("engagement_annees"),
            "cumul": entree.get("cumul") or "",
            "premiere_installation": bool(conditions.get("premiere_installation")),
            "modes_exercice": conditions.get("modes_exercice") or [],
            "secteurs": conditions.get("secteurs") or [],
            "delai_non_renouvellement_ans": conditions.get("delai_non_renouvellement_ans"),
            "licence_remplacement": bool(conditions.get("licence_remplacement")),
            "valide_du": entree.get("valide_du"),
            "valide_au": entree.get("valide_au"),
            "base_legale": entree.get("base_legale") or "",
            "source_url": entree["source_url"],
            "verifie_le": entree["verifie_le"],
            "statut_publication": entree.get("statut") or StatutPublication.BROUILLON,
            "contact": entree.get("contact") or "",
            "exemple": bool(entree.get("exemple")),
        },
    )
    aide.full_clean(validate_unique=False, validate_constraints=False)
    territoires = entree.get("territoires") or []
    aide.regions.set(territoires if entree["portee"] == Aide.Portee.REGIONS else [])
    aide.departements.set(territoires if entree["portee"] == Aide.Portee.DEPARTEMENTS else [])
    aide.communes.set(territoires if entree["portee"] == Aide.Portee.COMMUNES else [])
    aide.financements.all().delete()
    for role, cle in (
        (Financement.Role.FINANCEUR, "financeurs"),
        (Financement.Role.INSTRUCTEUR, "instructeurs"),
    ):
        for ordre, code in enumerate(entree.get(cle) or []):
            if code not in organisations:
                raise ValueError(f"organisation inconnue « {code} »")
            Financement.objects.create(
                aide=aide, organisation=organisations[code], role=role, ordre=ordre
            )
    return aide


# -- zoning decrees --------------------------------------------------------------------------

ENTETE_ZONAGE = ["code_commune", "profession", "niveau", "date_arrete", "source"]


@dataclass
class RapportZonage:
    lignes: list[dict] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        return not self.erreurs and bool(self.lignes)


def zonage_verifier(texte: str, *, departements: set[str] | None = None) -> RapportZonage:
    """Parse and check a zoning CSV (``;``-separated, UTF-8) without writing anything.

    ``departements`` limits the communes to a staff user's territory (None: no limit).
    """
    rapport = RapportZonage()
    lecteur = csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";")
    entete = next(lecteur, None)
    if [c.strip() for c in entete or []] != ENTETE_ZONAGE:
        rapport.erreurs.append("ligne 1 : l'en-tête doit être « " + ";".join(ENTETE_ZONAGE) + " ».")
        return rapport
    brutes = list(enumerate(lecteur, start=2))
    codes = {ligne[0].strip() for _, ligne in brutes if ligne}
    communes_connues = dict(
        Commune.objects.filter(pk__in=codes).values_list("pk", "departement_id")
    )
    vues = set()
    for numero, ligne in brutes:
        if not any(c.strip() for c in ligne):
            continue
        if len(ligne) != len(ENTETE_ZONAGE):
            rapport.erreurs.append(
                f"ligne {numero} : {len(ligne)} colonnes au lieu de {len(ENTETE_ZONAGE)}."
            )
            continue
        code, profession, niveau, date_arrete, source = (c.strip() for c in ligne)
        erreurs = []
        if code not in communes_connues:
            erreurs.append(f"commune inconnue « {code} »")
        elif departements is not None and communes_connues[code] not in departements:
            erreurs.append(f"commune {code} hors de votre territoire")
        if profession not in Profession.values:
            erreurs.append(f"profession inconnue « {profession} »")
        if niveau not in Zonage.Niveau.values:
            erreurs.append(f"niveau de zonage inconnu « {niveau} »")
        try:
            date = datetime.date.fromisoformat(date_arrete)
        except ValueError:
            erreurs.append(f"date d'arrêté invalide « {date_arrete} » (attendu AAAA-MM-JJ)")
            date = None
        if not source:
            erreurs.append("source manquante")
        if (code, profession, niveau) in vues:
            erreurs.append("ligne en double")
        vues.add((code, profession, niveau))
        if erreurs:
            rapport.erreurs.append(f"ligne {numero} : " + ", ".join(erreurs) + ".")
        else:
            rapport.lignes.append(
                {
                    "commune_id": code,
                    "profession": profession,
                    "niveau": niveau,
                    "date_arrete": date,
                    "source": source,
                }
            )
    if not rapport.lignes and not rapport.erreurs:
        rapport.erreurs.append("Le fichier ne contient aucune ligne de zonage.")
    return rapport


def zonage_importer(*, texte: str, departements: set[str] | None = None) -> dict:
    """Import a zoning CSV, all or nothing.

    A decree replaces the previous zoning of the (commune, profession) pairs it lists.
    """
    rapport = zonage_verifier(texte, departements=departements)
    if not rapport.valide:
        raise ErreurImport(rapport.erreurs)
    paires = {(ligne["commune_id"], ligne["profession"]) for ligne in rapport.lignes}
    with transaction.atomic():
        supprimes = 0
        for profession in {p for _, p in paires}:
            communes = [c for c, p in paires if p == profession]
            supprimes += Zonage.objects.filter(
                profession=profession, commune_id__in=communes
            ).delete()[0]
        Zonage.objects.bulk_create([Zonage(**ligne) for ligne in rapport.lignes])
        resume = {"lignes": len(rapport.lignes), "remplaces": supprimes, "paires": len(paires)}
        tracer_operation(Zonage, "Import d'un arrêté de zonage", resume)
    return resume
