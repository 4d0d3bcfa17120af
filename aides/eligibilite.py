"""The simulator's rules: why an aid matches a project, or why it narrowly does not."""

import operator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

from django.db.models import Case, IntegerField, Q, When

from aides.models import Aide, Secteur, Zonage
from guichet.cache import Fragments
from guichet.grammaire import PROFESSIONS_PLURIEL, enumeration, pluriel
from guichet.models import Commune
from guichet.text import euros
from guichet.vocabulaire import ModeExercice, Profession, Situation

PRESQUE_MAX = 20  # near misses listed; the others are counted
# Students and interns: an aid marked licence_remplacement is theirs only with that licence.
SITUATIONS_ETUDIANTES = {Situation.ETUDIANT, Situation.INTERNE}


@dataclass
class Projet:
    profession: str
    situation: str
    commune: Commune
    exercice: str = ""  # ModeExercice
    secteur: str = ""  # Secteur
    premiere_installation: bool = True
    aide_recente: bool = False  # an installation aid received in the last 10 years
    niveaux: list[str] = field(default_factory=list)  # zoning of the commune for the profession
    zonage_fictif: bool = False
    zonages: list = field(default_factory=list)  # the Zonage rows, for the result page

    @property
    def zonage_connu(self) -> bool:
        return bool(self.niveaux)


@dataclass
class Resultat:
    aide: Aide
    raisons: list[str]
    ecarts: list[str]
    a_verifier: list[str] = field(default_factory=list)  # what to check, and with whom
    # Open to this project only under a condition the simulator does not ask (a licence de
    # remplacement for a student or an intern): listed, said, not added to the total.
    hors_total: bool = False

    @property
    def eligible(self) -> bool:
        return not self.ecarts


def _liste(libelles: list[str]) -> str:
    if len(libelles) <= 1:
        return "".join(libelles)
    return ", ".join(libelles[:-1]) + " ou " + libelles[-1]


def _minuscule(libelle: str) -> str:
    """Lower-case the first letter of a label, keeping acronyms (ZIP, QPV) intact."""
    return libelle[:1].lower() + libelle[1:] if libelle[1:2].islower() else libelle


def _libelles(valeurs, choices) -> list[str]:
    noms = dict(choices)
    return [_minuscule(str(noms.get(v, v))) for v in valeurs]


def projet_pour(
    *,
    profession,
    situation,
    commune,
    exercice="",
    secteur="",
    premiere_installation=True,
    aide_recente=False,
) -> Projet:
    zonages = Zonage.objects.filter(commune=commune, profession=profession)
    niveaux = sorted({z.niveau for z in zonages})
    return Projet(
        profession=profession,
        situation=situation,
        commune=commune,
        exercice=exercice,
        secteur=secteur,
        premiere_installation=premiere_installation,
        aide_recente=aide_recente,
        niveaux=niveaux,
        zonage_fictif=any(z.fictif for z in zonages),
        zonages=sorted(zonages, key=lambda z: z.niveau),
    )


def _examiner_zonage(aide: Aide, projet: Projet, profession, raisons, ecarts, a_verifier) -> None:
    """The zoning an aid requires, against the commune's: a reason, a gap or a thing to check."""
    requis = _liste(_libelles(aide.zonage_requis, Zonage.Niveau.choices))
    communs = set(aide.zonage_requis) & set(projet.niveaux)
    fictif = " (zonage fictif de démonstration)" if projet.zonage_fictif else ""
    if not projet.zonage_connu:
        # Unknown zoning never excludes an aid: it says what to check and whom to ask.
        a_verifier.append(
            f"zonage inconnu pour {projet.commune.nom} et cette profession : demandez au "
            f"référent installation de l'ARS si la commune est classée {requis}"
        )
    elif communs:
        niveau = _libelles(sorted(communs), Zonage.Niveau.choices)[0]
        raisons.append(f"{projet.commune.nom} est en {niveau} pour : {profession}{fictif}")
    else:
        ecarts.append(f"commune hors {requis} pour : {profession}{fictif}")


def evaluer(aide: Aide, projet: Projet, *, dans_le_territoire: bool) -> Resultat | None:
    """None when the aid is out of the question (other profession, territory, closed)."""
    if aide.est_close or not dans_le_territoire:
        return None
    if aide.professions and projet.profession not in aide.professions:
        return None
    raisons, ecarts = [], []
    profession = _minuscule(Profession(projet.profession).label)
    raisons.append(
        "ouverte aux " + enumeration([PROFESSIONS_PLURIEL[p] for p in aide.professions])
        if aide.professions
        else "ouverte à toutes les professions"
    )
    raisons.append(
        "aide nationale"
        if aide.portee == Aide.Portee.NATIONALE
        else f"{projet.commune.nom} est dans le territoire de l'aide"
    )
    if aide.situations:
        if projet.situation in aide.situations:
            raisons.append(f"situation : {_minuscule(Situation(projet.situation).label)}")
        else:
            ecarts.append(
                "réservée aux situations : " + _liste(_libelles(aide.situations, Situation.choices))
            )
    a_verifier = []
    if aide.zonage_requis:
        _examiner_zonage(aide, projet, profession, raisons, ecarts, a_verifier)
    if aide.premiere_installation and not projet.premiere_installation:
        ecarts.append("réservée à une première installation en libéral")
    if aide.modes_exercice and projet.exercice and projet.exercice not in aide.modes_exercice:
        ecarts.append(
            "réservée à l'exercice " + _liste(_libelles(aide.modes_exercice, ModeExercice.choices))
        )
    if aide.secteurs and projet.secteur and projet.secteur not in aide.secteurs:
        ecarts.append("réservée au " + _liste(_libelles(aide.secteurs, Secteur.choices)))
    if aide.delai_non_renouvellement_ans and projet.aide_recente:
        ecarts.append(
            f"déjà bénéficiaire d'une aide à l'installation dans les "
            f"{aide.delai_non_renouvellement_ans} ans"
        )
    sous_condition = aide.licence_remplacement and projet.situation in SITUATIONS_ETUDIANTES
    if sous_condition:
        a_verifier.append(
            "ouverte aux étudiants et internes seulement s'ils ont une licence de "
            "remplacement : son montant n'est pas compté dans le total"
        )
    return Resultat(
        aide=aide, raisons=raisons, ecarts=ecarts, a_verifier=a_verifier, hors_total=sous_condition
    )


@dataclass
class Simulation:
    eligibles: list[Resultat]
    presque: list[Resultat]  # one condition missing, the first PRESQUE_MAX of them
    total: Decimal
    montants_variables: int
    presque_autres: int = 0  # near misses beyond PRESQUE_MAX, counted, not listed
    hors_total: list = field(default_factory=list)  # listed aids left out of the total

    def phrase(self) -> str:
        """The result sentence: it counts exactly the cards listed below it, and names those
        whose amount it leaves out of the total."""
        n = len(self.eligibles)
        if not n:
            return "Aucune aide ne correspond à toutes vos réponses."
        verbe = "correspond" if n == 1 else "correspondent"
        texte = f"{pluriel(n, 'aide')} {verbe} à votre projet."
        if self.hors_total:
            noms = enumeration([a.sigle or a.nom for a in self.hors_total])
            accord = "s" if len(self.hors_total) > 1 else ""
            texte += (
                f" Sous condition d'une licence de remplacement, non comptée{accord} dans le "
                f"total : {noms}."
            )
        n -= len(self.hors_total)
        if not n:
            return texte
        connus = n - self.montants_variables
        if self.total and self.montants_variables:
            autres = "de l'autre" if self.montants_variables == 1 else "des autres"
            texte += (
                f" Pour {pluriel(connus, 'aide')} au montant connu : jusqu'à "
                f"{euros(self.total)} sur les 5 premières années ; le montant {autres} "
                "est variable."
            )
        elif self.total:
            texte += f" Soit jusqu'à {euros(self.total)} sur les 5 premières années."
        else:
            texte += " Leur montant est variable." if n > 1 else " Son montant est variable."
        return texte

    @property
    def a_verifier(self) -> int:
        return sum(1 for r in self.eligibles if r.a_verifier)


def _ecart(condition: Q):
    return Case(When(condition, then=1), default=0, output_field=IntegerField())


def _ecarts_sql(projet: Projet):
    """How many of evaluer()'s gaps an aid has for the project, as a SQL expression.

    The same rules as evaluer(), so that SQL only drops the aids evaluer() would drop anyway
    (two gaps or more); evaluer() still decides, and words, everything that is left.
    """
    termes = [_ecart(~Q(situations=[]) & ~Q(situations__contains=[projet.situation]))]
    if projet.zonage_connu:
        termes.append(_ecart(~Q(zonage_requis=[]) & ~Q(zonage_requis__overlap=projet.niveaux)))
    if not projet.premiere_installation:
        termes.append(_ecart(Q(premiere_installation=True)))
    if projet.exercice:
        termes.append(
            _ecart(~Q(modes_exercice=[]) & ~Q(modes_exercice__contains=[projet.exercice]))
        )
    if projet.secteur:
        termes.append(_ecart(~Q(secteurs=[]) & ~Q(secteurs__contains=[projet.secteur])))
    if projet.aide_recente:
        termes.append(_ecart(Q(delai_non_renouvellement_ans__gt=0)))
    return reduce(operator.add, termes)


def candidates(projet: Projet):
    """The aids evaluer() may keep: published, open, in the territory of the commune, for the
    profession, and with at most one gap. The whole catalogue never reaches Python.

    Without the financers: no result shows them (tens of rows per aid at national scale)."""
    return (
        Aide.objects.publiees()
        .ouvertes()
        .portee_contient(projet.commune)
        .pour_profession(projet.profession)
        .alias(ecarts=_ecarts_sql(projet))
        .filter(ecarts__lte=1)
        .order_by("nom", "pk")
        .pour_cartes()
    )


def simulation_gardee(*, profession, situation, commune) -> tuple[Projet, Simulation]:
    """The project and simulation of a profession and situation in a commune (a user's plan),
    kept in the process per "aides" content version and day, like the simulator's result."""
    espace = Fragments.pour("aides").espace("aides.projets")
    cle = (profession, situation, commune.pk)
    gardee = espace.get(cle)
    if gardee is None:
        projet = projet_pour(profession=profession, situation=situation, commune=commune)
        gardee = (projet, simuler(projet))
        espace.set(cle, gardee)
    return gardee


def simuler(projet: Projet) -> Simulation:
    eligibles, presque = [], []
    for aide in candidates(projet):
        resultat = evaluer(aide, projet, dans_le_territoire=True)
        if resultat is None:
            continue
        if resultat.eligible:
            eligibles.append(resultat)
        elif len(resultat.ecarts) == 1:
            presque.append(resultat)
    comptees = [r for r in eligibles if not r.hors_total]
    montants = [r.aide.total_potentiel() for r in comptees]
    return Simulation(
        eligibles=eligibles,
        presque=presque[:PRESQUE_MAX],
        presque_autres=max(0, len(presque) - PRESQUE_MAX),
        total=sum((m for m in montants if m is not None), Decimal(0)),
        montants_variables=sum(1 for m in montants if m is None),
        hors_total=[r.aide for r in eligibles if r.hors_total],
    )
