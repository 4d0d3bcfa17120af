"""Indicators of a territory, read from the headcount summary (``demographie.synthese``).

A territory's figures for a year come from the coarsest level published for it: a région's own
rows when they exist, else the sum of its départements' rows, else of its communes' rows. Sums
ignore masked cells (NULL); when every cell is masked, or there is no row, the figure is unknown
(None), never zero. France's level for a year is the coarsest published anywhere that year.

The summary holds, for France, each région and each département, the aggregated cells of every
level present (``Synthese``); a commune's are computed from its own rows (one indexed filter).
A page thus reads a few hundred summary rows, whatever the size of the headcount table.
"""

from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from demographie import synthese
from demographie.models import (
    PROFESSIONS,
    TRANCHES_60_ET_PLUS,
    Effectif,
    Niveau,
    Population,
    Sexe,
    Source,
    Synthese,
    TrancheAge,
)
from demographie.territoires import CODE_FRANCE, FRANCE, ORDRE_NIVEAUX, Territoire
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


CHAMPS = list(AGREGATS)


def _valeurs(ligne: Synthese | None) -> dict | None:
    return None if ligne is None else {cle: getattr(ligne, cle) for cle in CHAMPS}


def _total(ligne: Synthese | None) -> int | None:
    return None if ligne is None else ligne.total


@dataclass
class Resume:
    """The summary rows of one territory: (year, level, profession) -> row; profession ""
    is all professions together."""

    territoire: Territoire
    lignes: dict[tuple[int, str, str], Synthese] = field(default_factory=dict)

    @cached_property
    def choix(self) -> dict[int, str]:
        """For each year with data, the level the territory's figures come from."""
        trouves: dict[int, str] = {}
        for annee, niveau, _ in self.lignes:
            actuel = trouves.get(annee)
            if actuel is None or ORDRE_NIVEAUX.index(niveau) < ORDRE_NIVEAUX.index(actuel):
                trouves[annee] = niveau
        return dict(sorted(trouves.items()))

    def ligne(self, annee: int, profession: str = "") -> Synthese | None:
        niveau = self.choix.get(annee)
        return None if niveau is None else self.lignes.get((annee, niveau, profession))


def _cle(t: Territoire) -> tuple[str, str]:
    return (t.niveau, t.code)


def _lignes_en_base(territoires: list[Territoire]) -> list[Synthese]:
    condition = reduce(
        or_, [Q(niveau_territoire=t.niveau, code_territoire=t.code) for t in territoires]
    )
    return list(Synthese.objects.filter(condition).annotate(retard=synthese.RETARD))


def resumes(territoires: list[Territoire]) -> dict[tuple[str, str], Resume]:
    """The summary rows of these territories: one query (which also tells whether the summary
    is behind the headcounts, then rebuilt), plus one per commune."""
    resultat = {_cle(t): Resume(t) for t in territoires}
    en_base = [t for t in territoires if t.niveau != Niveau.COMMUNE]
    lignes: list[Synthese] = []
    if en_base:
        lignes = _lignes_en_base(en_base)
        if (not lignes or lignes[0].retard) and synthese.assurer_a_jour():
            lignes = _lignes_en_base(en_base)
    for t in territoires:
        if t.niveau == Niveau.COMMUNE:
            lignes += synthese.lignes_commune(t.code)
    for ligne in lignes:
        cle = (ligne.niveau_territoire, ligne.code_territoire)
        resultat[cle].lignes[(ligne.annee, ligne.niveau, ligne.profession)] = ligne
    return resultat


def niveaux_par_annee(t: Territoire) -> dict[int, str]:
    """For each year with data, the level the territory's figures come from."""
    return resumes([t])[_cle(t)].choix


def populations_de(
    territoires: list[Territoire], *, voisinage=False
) -> dict[tuple[str, str], dict[int, int]]:
    """Population by year of each territory, in one query: (level, code) -> year -> population;
    France is the sum of the regions'. With ``voisinage``, also those of the territories its
    page puts next to it: the regions (with France), a région's départements, a département's
    neighbours and communes."""
    conditions = []
    for t in territoires:
        if t.est_france:
            conditions.append(Q(niveau=Niveau.REGION))
        else:
            conditions.append(Q(niveau=t.niveau, code_territoire=t.code))
        if not voisinage or t.niveau == Niveau.COMMUNE:
            continue
        if t.niveau == Niveau.REGION:
            conditions.append(Q(niveau=Niveau.DEPARTEMENT, region_id=t.code))
        if t.niveau == Niveau.DEPARTEMENT:
            conditions.append(Q(niveau=Niveau.DEPARTEMENT, region_id=t.region_code))
        if t.niveau_enfants == Niveau.COMMUNE:
            conditions.append(Q(niveau=Niveau.COMMUNE, departement_id=t.departement_code))
    resultat: dict[tuple[str, str], dict[int, int]] = {_cle(t): {} for t in territoires}
    lignes = Population.objects.filter(reduce(or_, conditions)).values_list(
        "niveau", "code_territoire", "annee", "population"
    )
    france = resultat.get((FRANCE, CODE_FRANCE))
    for niveau, code, annee, population in lignes:
        resultat.setdefault((niveau, code), {})[annee] = population
        if niveau == Niveau.REGION and france is not None:
            france[annee] = france.get(annee, 0) + population
    return resultat


def populations(t: Territoire) -> dict[int, int]:
    """Population by year; France is the sum of the regions' populations."""
    return populations_de([t])[_cle(t)]


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
    # What was read, for the rest of the page (neighbours): summary rows and populations.
    resumes: dict[tuple[str, str], Resume] = field(default_factory=dict, repr=False)
    populations: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict, repr=False)

    @property
    def selection(self) -> Agregat | None:
        return self.professions.get(self.profession)

    @property
    def donnees_fictives(self) -> bool:
        return any(s.fictive for s in self.sources)

    @property
    def a_des_donnees(self) -> bool:
        return self.annee is not None


def tableau_professions(r: Resume, annee: int, pops) -> dict[str, Agregat]:
    """Headcount and indicators of every profession for ``annee``, with the 1- and 5-year
    headcounts for the changes."""
    resultat = {}
    for p in PROFESSIONS:
        a = _agregat(annee, _valeurs(r.ligne(annee, p.value)), pops)
        a.effectif_1an = _total(r.ligne(annee - 1, p.value))
        a.effectif_5ans = _total(r.ligne(annee - 5, p.value))
        resultat[p.value] = a
    return resultat


def ensemble(r: Resume, annee: int, pops) -> Agregat:
    """All professions together (the cover's total)."""
    a = _agregat(annee, _valeurs(r.ligne(annee)), pops)
    a.effectif_1an = _total(r.ligne(annee - 1))
    a.effectif_5ans = _total(r.ligne(annee - 5))
    return a


def series(r: Resume, pops) -> dict[str, dict[int, Agregat]]:
    """Every profession's indicators for every year."""
    resultat: dict[str, dict[int, Agregat]] = {p.value: {} for p in PROFESSIONS}
    for p, serie in resultat.items():
        for annee in r.choix:
            ligne = r.ligne(annee, p)
            if ligne is not None:
                serie[annee] = _agregat(annee, _valeurs(ligne), pops)
    return resultat


def pyramides(r: Resume, annee: int) -> dict[str, dict[tuple[str, str], int | None]]:
    resultat: dict[str, dict] = {p.value: {} for p in PROFESSIONS}
    for p, pyramide in resultat.items():
        ligne = r.ligne(annee, p)
        for cellule, valeur in (ligne.pyramide if ligne else {}).items():
            tranche, sexe = cellule.split("|")
            pyramide[(tranche, sexe)] = valeur
    return resultat


def _pops_par_code(t: Territoire, niveau: str) -> dict[str, dict[int, int]]:
    resultat: dict[str, dict[int, int]] = {}
    for code, a, population in Population.objects.filter(**t.filtre(), niveau=niveau).values_list(
        "code_territoire", "annee", "population"
    ):
        resultat.setdefault(code, {})[a] = population
    return resultat


def par_sous_territoire(t: Territoire, choix, annee, *, pops=None) -> dict[str, list[tuple]]:
    """Indicators of each child territory and profession: the children's summary rows of the
    parent's level (or of the children's, when finer); communes from their own rows. ``pops``
    (from ``populations_de``) saves the populations' query."""
    from demographie.territoires import sous_territoires

    niveau_enfants = t.niveau_enfants
    if niveau_enfants is None or annee not in choix:
        return {}
    # Children's figures come from the rows the parent uses when they are at least as fine.
    niveau = choix[annee]
    if ORDRE_NIVEAUX.index(niveau) < ORDRE_NIVEAUX.index(niveau_enfants):
        niveau = niveau_enfants
    if niveau_enfants == Niveau.COMMUNE:
        lignes = (
            Effectif.objects.filter(**t.filtre(), annee=annee, niveau=niveau, commune__isnull=False)
            .values("commune_id", "commune__nom", "profession")
            .order_by("commune_id", "commune__nom", "profession")
            .annotate(**AGREGATS)
        )
        par_code, noms = {}, {}
        for ligne in lignes:
            par_code[(ligne["commune_id"], ligne["profession"])] = ligne
            noms[ligne["commune_id"]] = ligne["commune__nom"]
        enfants = [
            Territoire(Niveau.COMMUNE, code, nom, t, t.region_code, t.departement_code)
            for code, nom in sorted(noms.items())
        ]
    else:
        enfants = sous_territoires(t)
        lignes = Synthese.objects.filter(
            niveau_territoire=niveau_enfants,
            code_territoire__in=[e.code for e in enfants],
            annee=annee,
            niveau=niveau,
        ).defer("pyramide", "sources")
        par_code = {(ligne.code_territoire, ligne.profession): _valeurs(ligne) for ligne in lignes}
    if pops is None:
        pops_par_code = _pops_par_code(t, niveau_enfants)
    else:
        pops_par_code = {e.code: pops.get((niveau_enfants, e.code), {}) for e in enfants}
    return {
        p.value: [
            (e, _agregat(annee, par_code.get((e.code, p.value)), pops_par_code.get(e.code, {})))
            for e in enfants
        ]
        for p in PROFESSIONS
    }


def profil(t: Territoire, *, annee: int | None = None, profession: str, detail=True) -> Profil:
    """The indicators of a territory for a year (default: the latest with data)."""
    chaine = t.chaine() if detail else [t]
    par_territoire = resumes(chaine)
    r = par_territoire[_cle(t)]
    choix = r.choix
    if not choix:
        return Profil(territoire=t, annee=None, profession=profession)
    if annee not in choix:
        annee = max(choix)
    pops_chaine = populations_de(chaine, voisinage=detail)
    pops = pops_chaine[_cle(t)]
    resultat = Profil(
        territoire=t,
        annee=annee,
        profession=profession,
        annees=list(choix),
        niveau_source=choix[annee],
    )
    resultat.professions = tableau_professions(r, annee, pops)
    resultat.ensemble = ensemble(r, annee, pops)
    resultat.resumes, resultat.populations = par_territoire, pops_chaine
    resultat.sources = sorted(
        (
            Source(id=s["id"], libelle=s["libelle"], fictive=s["fictive"])
            for s in r.ligne(annee).sources
        ),
        key=lambda s: s.libelle,
    )
    if not detail:
        return resultat
    resultat.pyramides = pyramides(r, annee)
    resultat.evolutions = {p.value: {} for p in PROFESSIONS}
    # The evolution and the comparison put the territory next to its parents up to France.
    for niveau_t in chaine:
        r_t, pops_t = par_territoire[_cle(niveau_t)], pops_chaine[_cle(niveau_t)]
        for p, serie in series(r_t, pops_t).items():
            resultat.evolutions[p][niveau_t.nom] = serie
        if niveau_t is t:
            resultat.comparaison[niveau_t.nom] = resultat.professions
        elif annee in r_t.choix:
            resultat.comparaison[niveau_t.nom] = tableau_professions(r_t, annee, pops_t)
    resultat.sous_territoires = par_sous_territoire(t, choix, annee, pops=pops_chaine)
    return resultat


def par_departement(annee: int) -> dict[str, dict[str, Agregat]]:
    """Every département's indicators for ``annee`` by profession, for the map of France: its
    own rows when published, else the sum of its communes' (its summary rows, which ``profil``
    has brought up to date)."""
    niveaux: dict[str, str] = {}
    par_cle: dict[tuple[str, str, str], dict] = {}
    lignes = Synthese.objects.filter(niveau_territoire=Niveau.DEPARTEMENT, annee=annee)
    for ligne in lignes.defer("pyramide", "sources"):
        dep, niveau = ligne.code_territoire, ligne.niveau
        niveaux[dep] = min(niveaux.get(dep, niveau), niveau, key=ORDRE_NIVEAUX.index)
        par_cle[(dep, niveau, ligne.profession)] = _valeurs(ligne)
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
        for dep, niveau in sorted(niveaux.items())
    }
