"""Posts and saved searches of the benchmark's national dataset (`bench_donnees`), generated in
bulk: seeded, so the same scale always gives the same rows.

Posts are published over the last ``JOURS`` days, in communes drawn by the square root of their
population (cities post more, but every rural commune may post), for one to three professions
and a type drawn with the weights below. Saved searches are what the list's form saves: a
profession, often a commune and a radius, sometimes a type or a département; a few follow the
aids and the zoning of a commune. Every row is fictitious and labelled so (``fictive``,
addresses in ``.invalid``).
"""

import datetime
import math
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from aides.models import Zonage
from guichet.models import Commune, User
from guichet.vocabulaire import Profession
from opportunites.models import (
    Alerte,
    Frequence,
    Nature,
    Opportunite,
    QualiteAuteur,
    Statut,
    SujetAlerte,
)

JOURS = 90  # posts published over the last 90 days (a post stays online that long)
PROFESSIONS = {
    Profession.MEDECIN_GENERALISTE: 35,
    Profession.INFIRMIER: 15,
    Profession.MASSEUR_KINESITHERAPEUTE: 12,
    Profession.MEDECIN_SPECIALISTE: 8,
    Profession.CHIRURGIEN_DENTISTE: 7,
    Profession.SAGE_FEMME: 6,
    Profession.PHARMACIEN: 6,
    Profession.ORTHOPHONISTE: 5,
    Profession.ORTHOPTISTE: 2,
    Profession.PEDICURE_PODOLOGUE: 2,
    Profession.AUTRE: 2,
}
NATURES = {
    Nature.REMPLACEMENT: 25,
    Nature.REPRISE: 20,
    Nature.ASSOCIATION: 20,
    Nature.SALARIE: 20,
    Nature.LOGEMENT: 10,
    Nature.STAGE: 5,
}
AUTEURS_PAR_NATURE = {
    Nature.REMPLACEMENT: [QualiteAuteur.PROFESSIONNEL],
    Nature.REPRISE: [QualiteAuteur.PROFESSIONNEL, QualiteAuteur.COLLECTIVITE],
    Nature.ASSOCIATION: [QualiteAuteur.PROFESSIONNEL, QualiteAuteur.STRUCTURE],
    Nature.SALARIE: [QualiteAuteur.STRUCTURE, QualiteAuteur.ETABLISSEMENT],
    Nature.LOGEMENT: [QualiteAuteur.COLLECTIVITE],
    Nature.STAGE: [QualiteAuteur.STRUCTURE, QualiteAuteur.ETABLISSEMENT],
}
POSTS_PAR_AUTEUR = 2.5
RAYONS = {"10": 10, "20": 20, "30": 35, "50": 25, "100": 10}
PART_AIDES_ZONAGE = 0.15  # saved searches following a commune's aids and zoning
PART_QUOTIDIENNES = 0.6


def _tirer(rng, poids: dict, k=1):
    return rng.choices(list(poids), list(poids.values()), k=k)


def _communes():
    """(code, name, département) of the communes and a draw weighting them by the square root
    of their population (at least that of a 100-inhabitant village)."""
    lignes = list(
        Commune.objects.order_by("code").values_list(
            "code", "nom", "departement_id", "population", "latitude"
        )
    )
    poids = [math.sqrt(max(p or 0, 100)) for *_, p, _ in lignes]
    situees = [i for i, ligne in enumerate(lignes) if ligne[4] is not None]
    return lignes, poids, situees


def _utilisateurs(prefixe: str, nombre: int, debut: int) -> list[int]:
    """``nombre`` accounts ``<prefixe><n>@banc.invalid`` from n = ``debut`` (no password)."""
    mot_de_passe = make_password(None)
    comptes = [
        User(email=f"{prefixe}{n}@banc.invalid", password=mot_de_passe, last_name="Banc (fictif)")
        for n in range(debut, debut + nombre)
    ]
    User.objects.bulk_create(comptes, batch_size=2000)
    return [u.pk for u in comptes]


def creer_annonces(nombre: int, *, graine: str, maintenant=None) -> int:
    """Add published posts up to ``nombre`` bench posts (idempotent); the count added."""
    existantes = Opportunite.objects.filter(auteur__email__startswith="annonceur").count()
    a_creer = max(nombre - existantes, 0)
    if not a_creer:
        return 0
    rng = random.Random(f"{graine}-annonces-{existantes}")
    maintenant = maintenant or timezone.now()
    communes, poids, _ = _communes()
    n_auteurs = max(1, math.ceil(a_creer / POSTS_PAR_AUTEUR))
    auteurs = _utilisateurs(
        "annonceur", n_auteurs, User.objects.filter(email__startswith="annonceur").count()
    )
    annonces = []
    for i, (commune, nature) in enumerate(
        zip(
            rng.choices(communes, poids, k=a_creer),
            _tirer(rng, NATURES, a_creer),
            strict=True,
        )
    ):
        annonces.append(_annonce(rng, existantes + i, commune, nature, maintenant, auteurs))
    Opportunite.objects.bulk_create(annonces, batch_size=2000)
    return len(annonces)


def _annonce(rng, n, commune, nature, maintenant, auteurs) -> Opportunite:
    code, nom, _, _, _ = commune
    professions = list(
        dict.fromkeys(_tirer(rng, PROFESSIONS, rng.choices([1, 2, 3], [80, 15, 5])[0]))
    )
    publiee_le = maintenant - datetime.timedelta(seconds=rng.randrange(JOURS * 86400))
    jour = timezone.localdate(publiee_le)
    debut = fin = None
    if nature == Nature.REMPLACEMENT:
        debut = jour + datetime.timedelta(days=rng.randrange(7, 180))
        fin = debut + datetime.timedelta(weeks=rng.randint(1, 8))
    elif rng.random() < 0.5:
        debut = jour + datetime.timedelta(days=rng.randrange(30, 365))
    libelle = Nature(nature).label.lower()
    metier = Profession(professions[0]).label.lower()
    return Opportunite(
        titre=f"{Nature(nature).label} : {metier} à {nom}"[:150],
        nature=nature,
        professions=professions,
        commune_id=code,
        debut=debut,
        fin=fin,
        loyer_mensuel=rng.randrange(150, 1200, 50)
        if nature in (Nature.REPRISE, Nature.ASSOCIATION, Nature.LOGEMENT)
        else None,
        retrocession=rng.randrange(60, 90, 5) if nature == Nature.REMPLACEMENT else None,
        salaire_mensuel=rng.randrange(2200, 9000, 100) if nature == Nature.SALARIE else None,
        secretariat=rng.choice([True, False, None]),
        equipement="Cabinet équipé, accès de plain-pied, stationnement."
        if rng.random() < 0.6
        else "",
        equipe=f"{rng.randint(1, 8)} professionnels dans la structure."
        if rng.random() < 0.5
        else "",
        description=(
            f"Annonce fictive n° {n} du banc d'essai : {libelle} pour {metier} à {nom}. "
            "Patientèle fidèle, territoire attractif, accompagnement de la commune et de l'ARS "
            "pour l'installation.\n\n*Annonce fictive du banc d'essai.*"
        ),
        auteur_id=rng.choice(auteurs),
        qualite_auteur=rng.choice(AUTEURS_PAR_NATURE[nature]),
        fictive=True,
        statut=Statut.PUBLIEE,
        soumise_le=publiee_le - datetime.timedelta(days=1),
        publiee_le=publiee_le,
        expire_le=jour + datetime.timedelta(days=JOURS),
    )


def creer_alertes(nombre: int, *, graine: str, maintenant=None) -> int:
    """Add saved searches up to ``nombre`` bench ones (idempotent), with their accounts: most
    people save one search, some two or three. The count added."""
    existantes = Alerte.objects.filter(utilisateur__email__startswith="alerte").count()
    a_creer = max(nombre - existantes, 0)
    if not a_creer:
        return 0
    rng = random.Random(f"{graine}-alertes-{existantes}")
    maintenant = maintenant or timezone.now()
    communes, poids, situees = _communes()
    par_personne = []
    while sum(par_personne) < a_creer:
        par_personne.append(
            min(rng.choices([1, 2, 3], [70, 20, 10])[0], a_creer - sum(par_personne))
        )
    comptes = _utilisateurs(
        "alerte", len(par_personne), User.objects.filter(email__startswith="alerte").count()
    )
    poids_situees = [poids[i] for i in situees]
    alertes = []
    for compte, n in zip(comptes, par_personne, strict=True):
        for _ in range(n):
            commune = communes[rng.choices(situees, poids_situees)[0]]
            alertes.append(_alerte(rng, compte, commune, maintenant))
    _zonage_vu(alertes)
    Alerte.objects.bulk_create(alertes, batch_size=2000)
    return len(alertes)


def _alerte(rng, compte, commune, maintenant) -> Alerte:
    code, _, departement, _, _ = commune
    frequence = (
        Frequence.QUOTIDIENNE if rng.random() < PART_QUOTIDIENNES else Frequence.HEBDOMADAIRE
    )
    profession = _tirer(rng, PROFESSIONS)[0]
    alerte = Alerte(utilisateur_id=compte, frequence=frequence, depuis=maintenant)
    if rng.random() < PART_AIDES_ZONAGE:
        alerte.sujet, alerte.commune_id, alerte.profession = (
            SujetAlerte.AIDES_ZONAGE,
            code,
            profession,
        )
    else:
        # As alerte_enregistrer_recherche saves the list's form: strings, commune by INSEE code.
        parametres = {"profession": profession} if rng.random() < 0.9 else {}
        if rng.random() < 0.3:
            parametres["nature"] = _tirer(rng, NATURES)[0].value
        tirage = rng.random()
        if tirage < 0.75:
            parametres["commune"], parametres["rayon"] = code, _tirer(rng, RAYONS)[0]
            alerte.commune_id = code
        elif tirage < 0.9:
            parametres["departement"] = departement
        alerte.sujet, alerte.parametres = SujetAlerte.OPPORTUNITES, parametres
    alerte.planifier(maintenant)
    return alerte


def _zonage_vu(alertes: list[Alerte]) -> None:
    """The zoning known today, as a saved aids-and-zoning search records it (one query)."""
    suivies = [a for a in alertes if a.sujet == SujetAlerte.AIDES_ZONAGE]
    niveaux = {}
    for commune, profession, niveau in (
        Zonage.objects.filter(commune_id__in={a.commune_id for a in suivies})
        .values_list("commune_id", "profession", "niveau")
        .distinct()
    ):
        niveaux.setdefault((commune, profession), set()).add(niveau)
    for a in suivies:
        a.zonage_vu = {a.profession: sorted(niveaux.get((a.commune_id, a.profession), ()))}
