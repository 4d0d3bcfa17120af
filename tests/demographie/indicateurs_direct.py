"""The indicators as computed before the summary table: every call aggregates the headcount
table directly. Kept frozen, test-only, as the reference the summary-based computation of
``demographie.indicateurs`` must equal field by field (tests/demographie/test_synthese.py)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from demographie.models import (
    PROFESSIONS,
    TRANCHES_60_ET_PLUS,
    Effectif,
    Niveau,
    Population,
    Sexe,
    Source,
    TrancheAge,
)
from demographie.territoires import ORDRE_NIVEAUX, Territoire
from guichet.vocabulaire import ModeExercice


def _somme(condition: Q | None = None):
    # Shares count the known cells only: a sub-total whose cells are all masked is 0 known.
    if condition is None:
        return Sum("effectif")
    return Coalesce(Sum("effectif", filter=condition), 0)


AGREGATS = {
    "lignes": Count("id"),
    "masques": Count("id", filter=Q(effectif__isnull=True)),
    "total": _somme(),
    "age_connu": _somme(~Q(tranche_age=TrancheAge.INCONNU)),
    "age_60": _somme(Q(tranche_age__in=TRANCHES_60_ET_PLUS)),
    "sexe_connu": _somme(~Q(sexe=Sexe.INCONNU)),
    "femmes": _somme(Q(sexe=Sexe.FEMME)),
    "mode_connu": _somme(~Q(mode_exercice=ModeExercice.INCONNU)),
    "liberal": _somme(Q(mode_exercice=ModeExercice.LIBERAL)),
    "salarie": _somme(Q(mode_exercice=ModeExercice.SALARIE)),
    "mixte": _somme(Q(mode_exercice=ModeExercice.MIXTE)),
}


def arrondi(valeur, chiffres=1):
    if valeur is None:
        return None
    q = Decimal(1).scaleb(-chiffres)
    return Decimal(str(valeur)).quantize(q, rounding=ROUND_HALF_UP)


def _part(numerateur, denominateur):
    if numerateur is None or not denominateur:
        return None
    return 100 * numerateur / denominateur


def _evolution(actuel, ancien):
    if actuel is None or not ancien:
        return None
    return 100 * (actuel - ancien) / ancien


@dataclass
class Agregat:
    """The aggregated cells of one territory, year and profession (or all professions)."""

    annee: int
    lignes: int = 0
    masques: int = 0
    effectif: int | None = None
    age_connu: int | None = None
    age_60: int | None = None
    sexe_connu: int | None = None
    femmes: int | None = None
    mode_connu: int | None = None
    liberal: int | None = None
    salarie: int | None = None
    mixte: int | None = None
    population: int | None = None
    annee_population: int | None = None
    effectif_1an: int | None = None
    effectif_5ans: int | None = None

    @property
    def densite(self):
        if self.effectif is None or not self.population:
            return None
        return 100_000 * self.effectif / self.population

    @property
    def population_autre_annee(self) -> bool:
        return self.annee_population is not None and self.annee_population != self.annee

    @property
    def part_60(self):
        return _part(self.age_60, self.age_connu)

    @property
    def part_femmes(self):
        return _part(self.femmes, self.sexe_connu)

    @property
    def part_liberal(self):
        return _part(self.liberal, self.mode_connu)

    @property
    def part_salarie(self):
        return _part(self.salarie, self.mode_connu)

    @property
    def part_mixte(self):
        return _part(self.mixte, self.mode_connu)

    @property
    def evolution_1an(self):
        return _evolution(self.effectif, self.effectif_1an)

    @property
    def evolution_5ans(self):
        return _evolution(self.effectif, self.effectif_5ans)


def _niveaux_sources(t: Territoire) -> list[str]:
    """Levels whose rows can give this territory's figures, coarsest first."""
    if t.est_france:
        return ORDRE_NIVEAUX
    return ORDRE_NIVEAUX[ORDRE_NIVEAUX.index(t.niveau) :]


def niveaux_par_annee(t: Territoire, *, profession: str | None = None) -> dict[int, str]:
    """For each year with data, the level the territory's figures come from."""
    qs = Effectif.objects.filter(**t.filtre(), niveau__in=_niveaux_sources(t))
    if profession:
        qs = qs.filter(profession=profession)
    trouves: dict[int, str] = {}
    for ligne in qs.values("annee", "niveau").distinct():
        actuel = trouves.get(ligne["annee"])
        if actuel is None or ORDRE_NIVEAUX.index(ligne["niveau"]) < ORDRE_NIVEAUX.index(actuel):
            trouves[ligne["annee"]] = ligne["niveau"]
    return dict(sorted(trouves.items()))


def _q_sources(choix: dict[int, str], annees) -> Q:
    conditions = [Q(annee=a, niveau=choix[a]) for a in annees if a in choix]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def _agreger(t: Territoire, choix, annees, *, par, **filtres) -> list[dict]:
    return list(
        Effectif.objects.filter(_q_sources(choix, annees), **t.filtre(), **filtres)
        .values(*par)
        .order_by(*par)
        .annotate(**AGREGATS)
    )


def populations(t: Territoire) -> dict[int, int]:
    """Population by year; France is the sum of the regions' populations."""
    if t.est_france:
        qs = (
            Population.objects.filter(niveau=Niveau.REGION)
            .values("annee")
            .annotate(total=Sum("population"))
        )
        return {p["annee"]: p["total"] for p in qs}
    return dict(
        Population.objects.filter(niveau=t.niveau, code_territoire=t.code).values_list(
            "annee", "population"
        )
    )


def population_la_plus_proche(pops: dict[int, int], annee: int) -> tuple[int | None, int | None]:
    """The population of ``annee``, else of the nearest year (the earlier one on a tie)."""
    if not pops:
        return None, None
    meilleure = min(pops, key=lambda a: (abs(a - annee), a))
    return pops[meilleure], meilleure


def _agregat(annee, valeurs: dict | None, pops) -> Agregat:
    a = Agregat(annee=annee)
    if valeurs:
        for cle in AGREGATS:
            setattr(a, "effectif" if cle == "total" else cle, valeurs.get(cle))
    if a.lignes == 0:
        a.effectif = None
    a.population, a.annee_population = population_la_plus_proche(pops, annee)
    return a


@dataclass
class Profil:
    """Everything the page and the bulletin show for a territory and a year, for every
    profession (``profession`` is the one the page focuses on)."""

    territoire: Territoire
    annee: int | None
    profession: str
    annees: list[int] = field(default_factory=list)
    niveau_source: str | None = None
    professions: dict[str, Agregat] = field(default_factory=dict)
    ensemble: Agregat | None = None
    pyramides: dict[str, dict[tuple[str, str], int | None]] = field(default_factory=dict)
    # profession -> territory name (the territory, then its parents) -> year -> Agregat
    evolutions: dict[str, dict[str, dict[int, Agregat]]] = field(default_factory=dict)
    # territory name (the territory, then its parents) -> profession -> Agregat
    comparaison: dict[str, dict[str, Agregat]] = field(default_factory=dict)
    sous_territoires: dict[str, list[tuple[Territoire, Agregat]]] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)

    @property
    def selection(self) -> Agregat | None:
        return self.professions.get(self.profession)

    @property
    def donnees_fictives(self) -> bool:
        return any(s.fictive for s in self.sources)

    @property
    def a_des_donnees(self) -> bool:
        return self.annee is not None


def tableau_professions(t: Territoire, choix, annee, pops) -> dict[str, Agregat]:
    """Headcount and indicators of every profession for ``annee``, with the 1- and 5-year
    headcounts for the changes, in one query."""
    annees = [annee, annee - 1, annee - 5]
    lignes = _agreger(t, choix, annees, par=["profession", "annee"])
    par_cle = {(ligne["profession"], ligne["annee"]): ligne for ligne in lignes}
    resultat = {}
    for p in PROFESSIONS:
        a = _agregat(annee, par_cle.get((p.value, annee)), pops)
        a.effectif_1an = (par_cle.get((p.value, annee - 1)) or {}).get("total")
        a.effectif_5ans = (par_cle.get((p.value, annee - 5)) or {}).get("total")
        resultat[p.value] = a
    return resultat


def ensemble(t: Territoire, choix, annee, pops) -> Agregat:
    """All professions together (the cover's total)."""
    lignes = _agreger(t, choix, [annee - 5, annee - 1, annee], par=["annee"])
    par_annee = {ligne["annee"]: ligne for ligne in lignes}
    a = _agregat(annee, par_annee.get(annee), pops)
    a.effectif_1an = (par_annee.get(annee - 1) or {}).get("total")
    a.effectif_5ans = (par_annee.get(annee - 5) or {}).get("total")
    return a


def series(t: Territoire, choix, pops) -> dict[str, dict[int, Agregat]]:
    """Every profession's indicators for every year, in one query."""
    resultat: dict[str, dict[int, Agregat]] = {p.value: {} for p in PROFESSIONS}
    for ligne in _agreger(t, choix, list(choix), par=["profession", "annee"]):
        if ligne["profession"] in resultat:
            resultat[ligne["profession"]][ligne["annee"]] = _agregat(ligne["annee"], ligne, pops)
    return resultat


def pyramides(t: Territoire, choix, annee) -> dict[str, dict[tuple[str, str], int | None]]:
    resultat: dict[str, dict] = {p.value: {} for p in PROFESSIONS}
    for ligne in _agreger(t, choix, [annee], par=["profession", "tranche_age", "sexe"]):
        if ligne["profession"] in resultat:
            resultat[ligne["profession"]][(ligne["tranche_age"], ligne["sexe"])] = ligne["total"]
    return resultat


def par_sous_territoire(t: Territoire, choix, annee) -> dict[str, list[tuple]]:
    """Indicators of each child territory and profession, in one aggregation query."""
    from demographie.territoires import sous_territoires

    niveau_enfants = t.niveau_enfants
    if niveau_enfants is None or annee not in choix:
        return {}
    # Children's figures come from the rows the parent uses when they are at least as fine.
    niveau = choix[annee]
    if ORDRE_NIVEAUX.index(niveau) < ORDRE_NIVEAUX.index(niveau_enfants):
        niveau = niveau_enfants
    cle = {"region": "region_id", "departement": "departement_id", "commune": "commune_id"}[
        niveau_enfants
    ]
    lignes = (
        Effectif.objects.filter(**t.filtre(), annee=annee, niveau=niveau)
        .values(cle, "profession")
        .order_by(cle, "profession")
        .annotate(**AGREGATS)
    )
    par_code = {(ligne[cle], ligne["profession"]): ligne for ligne in lignes}
    pops_par_code: dict[str, dict[int, int]] = {}
    for code, a, population in Population.objects.filter(
        **t.filtre(), niveau=niveau_enfants
    ).values_list("code_territoire", "annee", "population"):
        pops_par_code.setdefault(code, {})[a] = population
    codes = {code for code, _ in par_code}
    enfants = sous_territoires(t, codes if niveau_enfants == Niveau.COMMUNE else None)
    return {
        p.value: [
            (e, _agregat(annee, par_code.get((e.code, p.value)), pops_par_code.get(e.code, {})))
            for e in enfants
        ]
        for p in PROFESSIONS
    }


def profil(t: Territoire, *, annee: int | None = None, profession: str, detail=True) -> Profil:
    """The indicators of a territory for a year (default: the latest with data)."""
    choix = niveaux_par_annee(t)
    if not choix:
        return Profil(territoire=t, annee=None, profession=profession)
    if annee not in choix:
        annee = max(choix)
    pops = populations(t)
    resultat = Profil(
        territoire=t,
        annee=annee,
        profession=profession,
        annees=list(choix),
        niveau_source=choix[annee],
    )
    resultat.professions = tableau_professions(t, choix, annee, pops)
    resultat.ensemble = ensemble(t, choix, annee, pops)
    resultat.sources = list(
        Source.objects.filter(
            pk__in=Effectif.objects.filter(_q_sources(choix, [annee]), **t.filtre()).values(
                "source_id"
            )
        ).order_by("libelle")
    )
    if not detail:
        return resultat
    resultat.pyramides = pyramides(t, choix, annee)
    resultat.evolutions = {p.value: {} for p in PROFESSIONS}
    # The evolution and the comparison put the territory next to its parents up to France.
    for niveau_t in t.chaine():
        choix_t = choix if niveau_t is t else niveaux_par_annee(niveau_t)
        pops_t = pops if niveau_t is t else populations(niveau_t)
        for p, serie in series(niveau_t, choix_t, pops_t).items():
            resultat.evolutions[p][niveau_t.nom] = serie
        if niveau_t is t:
            resultat.comparaison[niveau_t.nom] = resultat.professions
        elif annee in choix_t:
            resultat.comparaison[niveau_t.nom] = tableau_professions(
                niveau_t, choix_t, annee, pops_t
            )
    resultat.sous_territoires = par_sous_territoire(t, choix, annee)
    return resultat


def par_departement(annee: int) -> dict[str, dict[str, Agregat]]:
    """Every département's indicators for ``annee`` by profession, for the map of France: its
    own rows when published, else the sum of its communes' (one aggregation query)."""
    lignes = (
        Effectif.objects.filter(
            annee=annee, niveau__in=[Niveau.DEPARTEMENT, Niveau.COMMUNE], departement__isnull=False
        )
        .values("departement_id", "niveau", "profession")
        .order_by("departement_id", "niveau", "profession")
        .annotate(**AGREGATS)
    )
    niveaux: dict[str, str] = {}
    par_cle: dict[tuple[str, str, str], dict] = {}
    for ligne in lignes:
        dep, niveau = ligne["departement_id"], ligne["niveau"]
        if niveaux.get(dep) != Niveau.DEPARTEMENT:
            niveaux[dep] = min(niveaux.get(dep, niveau), niveau, key=ORDRE_NIVEAUX.index)
        par_cle[(dep, niveau, ligne["profession"])] = ligne
    pops: dict[str, dict[int, int]] = {}
    for code, a, population in Population.objects.filter(
        niveau=Niveau.DEPARTEMENT, code_territoire__in=list(niveaux)
    ).values_list("code_territoire", "annee", "population"):
        pops.setdefault(code, {})[a] = population
    return {
        dep: {
            p.value: _agregat(annee, par_cle.get((dep, niveau, p.value)), pops.get(dep, {}))
            for p in PROFESSIONS
        }
        for dep, niveau in niveaux.items()
    }
