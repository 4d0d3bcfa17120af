"""Demo data for `make run`: plausible, deterministic, clearly fictitious headcounts.

Every département gets, for each year and profession, a headcount by age band, sex and mode of
practice, derived from typical national densities and a per-département factor; the communes of
the overseas départements, the Deux-Sèvres and the Creuse also get commune-level rows (one count
per commune, age, sex and mode unknown, small cells masked, as in the public files). The
communes' counts are the département's total split by largest remainders, so before masking they
add up to it exactly for every profession and year; France and the régions are sums of the
départements. The real Pacte territoire santé figures and the populations are loaded too, and
the last year's bulletins of France, Martinique and Creuse are published. Nothing is reloaded
or rendered again when this version is already in the database.
"""

import hashlib
import io
import random
import time
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q

from demographie import importation, services, synthese, territoires
from demographie.models import (
    TRANCHES_60_ET_PLUS,
    Bulletin,
    Effectif,
    Population,
    Sexe,
    Source,
    TrancheAge,
)
from guichet.models import Commune, Departement, JeuDeDonnees
from guichet.vocabulaire import ModeExercice

VERSION = "demo-demographie-v3"
# Seeds the random factors: kept when only the commune split changes, so the figures of the
# départements stay those of the previous version.
GRAINE = "demo-demographie-v2"
JEU = "demographie-demo"
JEU_BULLETINS = "demographie-demo-bulletins"  # the data version the demo bulletins were made from
LIBELLE_SOURCE = "Données fictives de démonstration"
ANNEES = list(range(2018, 2026))
ANNEE_BASE = importation.ANNEE_POPULATION_COMMUNES
DEPARTEMENTS_COMMUNES = ["971", "972", "973", "974", "976", "79", "23"]
DROM = {"971", "972", "973", "974", "976"}
# The bulletins `make run` publishes (last year): France, Martinique (its région page) and Creuse.
BULLETINS = [("france", "FR"), ("region", "02"), ("departement", "23")]
# Professionals gather in towns: a commune's share grows a little faster than its population,
# and the demo puts no practice in a commune under 1 000 inhabitants (unless none is larger).
CONCENTRATION = 1.2
SEUIL_CABINET = 1000
MASQUE = {1, 2}  # secret statistique: cells of 1 or 2 professionals are published as "NS"

# profession: (density per 100,000, yearly change, share of women, (libéral, salarié, mixte))
PROFILS = {
    "medecin-generaliste": (148, -0.008, 0.52, (0.58, 0.30, 0.12)),
    "medecin-specialiste": (190, 0.008, 0.47, (0.35, 0.50, 0.15)),
    "chirurgien-dentiste": (65, 0.005, 0.50, (0.85, 0.08, 0.07)),
    "sage-femme": (36, 0.015, 0.97, (0.30, 0.65, 0.05)),
    "infirmier": (930, 0.018, 0.87, (0.18, 0.80, 0.02)),
    "masseur-kinesitherapeute": (150, 0.03, 0.50, (0.80, 0.12, 0.08)),
    "pharmacien": (110, -0.003, 0.68, (0.30, 0.68, 0.02)),
    "orthophoniste": (38, 0.025, 0.97, (0.80, 0.10, 0.10)),
    "orthoptiste": (9, 0.06, 0.85, (0.55, 0.35, 0.10)),
    "pedicure-podologue": (21, 0.02, 0.70, (0.95, 0.03, 0.02)),
}
TRANCHES = [t for t in TrancheAge if t != TrancheAge.INCONNU]
AGES_MEDICAUX = [0.05, 0.21, 0.22, 0.11, 0.11, 0.12, 0.10, 0.08]
AGES_PARAMEDICAUX = [0.13, 0.27, 0.25, 0.11, 0.10, 0.08, 0.04, 0.02]
MEDICAUX = {"medecin-generaliste", "medecin-specialiste", "chirurgien-dentiste", "pharmacien"}
JEUNES = {TrancheAge.MOINS_30, TrancheAge.DE_30_A_39}
MODES = [ModeExercice.LIBERAL, ModeExercice.SALARIE, ModeExercice.MIXTE]


def _arrondi(x: float) -> int:
    return int(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _facteur(dep: str, profession: str) -> tuple[float, float]:
    """A département's level (relative to France) and extra yearly change, deterministic."""
    rng = random.Random(f"{GRAINE}-{dep}-{profession}")
    niveau = rng.uniform(0.65, 1.3)
    if dep in DROM:
        niveau *= 0.75 if profession.startswith("medecin") else 0.9
    if dep == "976":
        niveau *= 0.3
    return niveau, rng.uniform(-0.012, 0.012)


def total(dep: str, population: int, profession: str, annee: int) -> float:
    densite, tendance, _, _ = PROFILS[profession]
    niveau, ecart = _facteur(dep, profession)
    return population * densite * niveau * (1 + tendance + ecart) ** (annee - ANNEE_BASE) / 1e5


def cellules_departement(dep: str, population: int):
    """(profession, year, age band, sex, mode, headcount) of one département, every cell."""
    for profession, (_, _, femmes, modes) in PROFILS.items():
        ages = AGES_MEDICAUX if profession in MEDICAUX else AGES_PARAMEDICAUX
        for annee in ANNEES:
            n = total(dep, population, profession, annee)
            for tranche, p_age in zip(TRANCHES, ages, strict=True):
                decalage = (
                    0.1 if tranche in JEUNES else -0.15 if tranche in TRANCHES_60_ET_PLUS else 0
                )
                p_f = min(0.99, max(0.01, femmes + decalage))
                for sexe, p_sexe in ((Sexe.FEMME, p_f), (Sexe.HOMME, 1 - p_f)):
                    for mode, p_mode in zip(MODES, modes, strict=True):
                        valeur = _arrondi(n * p_age * p_sexe * p_mode)
                        yield profession, annee, tranche, sexe, mode, valeur


def totaux_departement(dep: str, population: int) -> dict[tuple[str, int], int]:
    """The département's headcount of each (profession, year): the sum of its cells."""
    totaux: dict[tuple[str, int], int] = {}
    for profession, annee, *_, valeur in cellules_departement(dep, population):
        totaux[(profession, annee)] = totaux.get((profession, annee), 0) + valeur
    return totaux


def repartir(total_: int, poids: dict[str, float]) -> dict[str, int]:
    """``total_`` split in proportion to ``poids`` by largest remainders: whole numbers that add
    up to ``total_`` exactly (ties go to the first code). Without any weight, equal shares."""
    if not poids:
        return {}
    somme = sum(poids.values())
    if somme <= 0:
        poids, somme = dict.fromkeys(poids, 1.0), float(len(poids))
    exacts = {code: total_ * p / somme for code, p in poids.items()}
    parts = {code: int(x) for code, x in exacts.items()}
    reste = total_ - sum(parts.values())
    for code in sorted(exacts, key=lambda c: (parts[c] - exacts[c], c))[:reste]:
        parts[code] += 1
    return parts


def poids_communes(communes: list[tuple]) -> dict[str, float]:
    """Each commune's weight in its département: population, a little concentrated in towns,
    times a fixed per-commune attractiveness; none below ``SEUIL_CABINET`` inhabitants."""
    seuil = SEUIL_CABINET if any((p or 0) >= SEUIL_CABINET for _, p in communes) else 0
    return {
        code: 0.0
        if (population or 0) < seuil
        else float(population or 0) ** CONCENTRATION
        * random.Random(f"{GRAINE}-{code}").uniform(0.5, 1.5)
        for code, population in communes
    }


def effectifs_communes(
    totaux: dict[tuple[str, int], int], communes: list[tuple]
) -> dict[tuple[str, int], dict[str, int]]:
    """(profession, year) -> commune -> headcount before masking; each adds up to the
    département's total."""
    poids = poids_communes(communes)
    return {cle: repartir(n, poids) for cle, n in totaux.items()}


def lignes_departement(dep: str, region: str, population: int):
    """Tab-separated rows for one département (every year, profession and cell)."""
    for profession, annee, tranche, sexe, mode, valeur in cellules_departement(dep, population):
        yield (
            f"{annee}\tdepartement\t{dep}\t{region}\t{dep}\t\\N\t{profession}"
            f"\t{tranche}\t{sexe}\t{mode}\t{valeur}\t{{source}}\n"
        )


def lignes_communes(dep: str, region: str, population_dep: int, communes: list[tuple]):
    """Commune rows: the département's total of each profession and year split between its
    communes, one count per commune (age, sex and mode unknown), cells of 1 or 2 masked."""
    totaux = totaux_departement(dep, population_dep)
    for (profession, annee), parts in effectifs_communes(totaux, communes).items():
        for code, valeur in parts.items():
            cellule = "\\N" if valeur in MASQUE else str(valeur)
            yield (
                f"{annee}\tcommune\t{code}\t{region}\t{dep}\t{code}\t{profession}"
                f"\tinconnu\tinconnu\tinconnu\t{cellule}\t{{source}}\n"
            )


def generer() -> io.StringIO:
    pops = dict(
        Population.objects.filter(annee=ANNEE_BASE, niveau="departement").values_list(
            "code_territoire", "population"
        )
    )
    tampon = io.StringIO()
    for dep in Departement.objects.order_by("code"):
        if dep.code not in pops:
            continue
        tampon.writelines(lignes_departement(dep.code, dep.region_id, pops[dep.code]))
        if dep.code in DEPARTEMENTS_COMMUNES:
            communes = list(
                Commune.objects.filter(departement=dep)
                .order_by("code")
                .values_list("code", "population")
            )
            tampon.writelines(lignes_communes(dep.code, dep.region_id, pops[dep.code], communes))
    tampon.seek(0)
    return tampon


def empreinte() -> str:
    return hashlib.sha256(f"{VERSION}-{ANNEES}-{DEPARTEMENTS_COMMUNES}".encode()).hexdigest()


def charger_effectifs(ecrire=print) -> bool:
    """The Pacte figures, the populations and the fictitious headcounts; returns whether the
    headcounts were (re)loaded."""
    dispositifs = importation.charger_dispositifs()
    if not dispositifs.get("deja_charge"):
        ecrire(f"Démographie : {dispositifs['indicateurs']} indicateurs du Pacte territoire santé.")
    if not Population.objects.filter(annee=ANNEE_BASE).exists():
        importation.initialiser_populations(ANNEE_BASE)
    signature = empreinte()
    if JeuDeDonnees.objects.est_charge(JEU, signature):
        ecrire("Démographie : données fictives de démonstration déjà chargées.")
        return False
    with transaction.atomic():
        Effectif.objects.filter(source__fictive=True).delete()
        Source.objects.filter(fictive=True).delete()
        source = Source.objects.create(libelle=LIBELLE_SOURCE, fictive=True)
        importation.copier_effectifs(generer(), source)
        synthese.recalculer()
        JeuDeDonnees.objects.marquer_charge(JEU, signature)
    n = Effectif.objects.filter(source=source).count()
    ecrire(f"Démographie : {n} effectifs fictifs de démonstration ({ANNEES[0]}–{ANNEES[-1]}).")
    return True


def _bulletins_demo():
    return Bulletin.objects.filter(
        reduce(or_, [Q(niveau=n, code_territoire=c) for n, c in BULLETINS]), annee=ANNEES[-1]
    )


def publier_bulletins(ecrire=print) -> None:
    """Publish the demo's bulletins of the last year (France, Martinique, Creuse) that are not
    published yet: a WeasyPrint render takes 5 to 25 s each, so only the first run pays it.
    Editions made from another version of the fictitious figures are replaced."""
    signature = empreinte()
    if not JeuDeDonnees.objects.est_charge(JEU_BULLETINS, signature):
        for bulletin in _bulletins_demo():
            for fichier in (bulletin.fichier, bulletin.edition):
                if fichier:
                    fichier.delete(save=False)
            bulletin.delete()
        JeuDeDonnees.objects.marquer_charge(JEU_BULLETINS, signature)
    for niveau, code in BULLETINS:
        try:
            t = territoires.trouver(niveau, code)
        except territoires.TerritoireInconnu:  # territories not loaded
            continue
        bulletin = services.bulletin_pour(territoire=t, annee=ANNEES[-1])
        if bulletin.est_publie:
            continue
        debut = time.monotonic()
        try:
            services.bulletin_publier(bulletin=bulletin)
        except services.PasDeDonnees:
            continue
        duree = time.monotonic() - debut
        ecrire(f"Bulletin {ANNEES[-1]} {t.de_nom} (fictif) : publié en {duree:.0f} s.")


def charger(ecrire=print) -> None:
    charger_effectifs(ecrire)
    publier_bulletins(ecrire)
