"""Free slots of the referents: opening hours minus absences, public holidays and bookings.

Two queries per search, whatever the window: the opening hours (with their place) of the
referents who offer the motif, then their absences and active meetings together, as whole UTC
seconds. The rest is integer arithmetic: each referent's busy intervals are merged and sorted
once; each opening hours walks only its open days, whose starts (shared by the referents with
the same hours) are cut by the busy intervals of the day as slices, found by bisection, never
slot by slot; the days are sorted together once. The RDV Service Public lesson: never query per
day or per occurrence.
"""

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import cache, lru_cache
from itertools import repeat
from operator import itemgetter

import holidays
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Func, Value
from django.utils import timezone

from guichet.cache import memoire
from guichet.fuseaux import fuseau_de
from guichet.models import Departement
from guichet.parametres import lire_date, lire_date_heure_utc, lire_entier
from guichet.versions import AGENDA
from guichet.versions import versions as versions_contenu
from rendezvous.models import (
    Absence,
    Lieu,
    MotifRendezVous,
    PlageOuverture,
    Referent,
    RendezVous,
)


class Creneau(tuple):
    """A free slot: ``debut`` and ``fin`` are aware, in the region's time zone.

    A tuple (referent id, place, start, duration) built without a Python ``__init__``: a
    search over the booking window makes thousands of them.
    """

    __slots__ = ()
    referent_id = property(itemgetter(0))
    lieu = property(itemgetter(1))
    debut = property(itemgetter(2))
    duree = property(itemgetter(3))

    @property
    def lieu_id(self) -> int:
        return self.lieu.pk

    @property
    def fin(self) -> datetime.datetime:
        return self.debut + self.duree  # wall-clock arithmetic in the zone, as the clock reads

    @property
    def cle(self) -> str:
        """Identifies the slot in URLs and forms: referent and UTC start."""
        utc = self.debut.astimezone(datetime.UTC)
        return f"{self.referent_id}-{utc:%Y%m%dT%H%M}"

    def __eq__(self, other):
        if not isinstance(other, Creneau):
            return NotImplemented
        return tuple.__eq__(self, other)

    def __ne__(self, other):
        if not isinstance(other, Creneau):
            return NotImplemented
        return tuple.__ne__(self, other)

    __hash__ = tuple.__hash__

    def __repr__(self):
        return f"Creneau(referent={self.referent_id}, lieu={self.lieu_id}, debut={self.debut})"


def lire_cle(cle) -> tuple[int, datetime.datetime] | None:
    """The referent id and UTC start a slot key names, or None for any other text (an id no
    bigint holds, a start outside the portal's dates: the day before and after must exist)."""
    referent, _, debut = cle.partition("-") if isinstance(cle, str) else ("", "", "")
    referent_id = lire_entier(referent, minimum=1)
    debut = lire_date_heure_utc(debut)
    if referent_id is None or debut is None:
        return None
    return referent_id, debut


def semaine_demandee(valeur, aujourd_hui: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week a ``semaine`` parameter asks for: the current week for a
    past, invalid or out-of-range date."""
    jour = max(lire_date(valeur) or aujourd_hui, aujourd_hui)
    lundi = jour - datetime.timedelta(days=jour.weekday())
    return lundi, lundi + datetime.timedelta(days=6)


@cache
def _subdivisions() -> frozenset[str]:
    return frozenset(holidays.France.subdivisions)


@lru_cache(maxsize=settings.MEMOIRE_PROCESSUS["rendezvous.feries"])
def _feries_de_l_annee(subdiv: str | None, annee: int) -> frozenset[datetime.date]:
    # The calendar of a year and a subdivision never changes: built once per worker.
    return frozenset(holidays.France(subdiv=subdiv, years=annee).keys())


def jours_feries(departement_code: str, annees: set[int]) -> set[datetime.date]:
    """French public holidays, overseas and Alsace-Moselle ones included."""
    subdiv = departement_code if departement_code in _subdivisions() else None
    return set().union(*(_feries_de_l_annee(subdiv, annee) for annee in sorted(annees)))


class _Epoque(Func):
    """A timestamp as whole UTC seconds, rounded outwards (``FLOOR`` or ``CEIL``).

    ``DATE_PART`` gives a double where ``EXTRACT`` gives a numeric, several times slower over
    thousands of rows; a double keeps the microseconds (its step stays under 1 µs until 2106),
    so the rounding to whole seconds is the same.
    """

    template = "%(function)s(DATE_PART('epoch', %(expressions)s))::bigint"
    output_field = BigIntegerField()


def _debut(champ):
    return _Epoque(champ, function="FLOOR")


def _fin(champ):
    return _Epoque(champ, function="CEIL")


def _occupations(ids, borne_basse, borne_haute, sauf):
    """(referent, start, end, motif or None) of every absence and active meeting, one query."""
    rendezvous = (
        RendezVous.objects.actifs()
        .filter(referent__in=ids, fin_bloquee__gt=borne_basse, debut__lt=borne_haute)
        .exclude(pk=sauf)
        .order_by()
        .values_list("referent_id", _debut("debut"), _fin("fin_bloquee"), "motif_id")
    )
    absences = (
        Absence.objects.filter(referent__in=ids, fin__gt=borne_basse, debut__lt=borne_haute)
        .order_by()
        .values_list("referent_id", _debut("debut"), _fin("fin"),
                     Value(None, output_field=BigIntegerField()))
    )  # fmt: skip
    requete = rendezvous.union(absences, all=True)
    # Thousands of rows of plain integers: read from the cursor, without per-row converters.
    sql, params = requete.query.sql_with_params()
    with connection.cursor() as curseur:
        curseur.execute(sql, params)
        return curseur.fetchall()


def _fusionner(intervalles: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted disjoint busy intervals as two lists (starts, ends): both ascending."""
    debuts, fins = [], []
    for d, f in sorted(intervalles):
        if fins and d <= fins[-1]:
            if f > fins[-1]:
                fins[-1] = f
        else:
            debuts.append(d)
            fins.append(f)
    return debuts, fins


def creneaux_libres(
    *,
    departement: Departement,
    motif: MotifRendezVous,
    maintenant: datetime.datetime | None = None,
    referents: list[Referent] | None = None,
    du: datetime.date | None = None,
    au: datetime.date | None = None,
    sauf: int | None = None,
) -> list[Creneau]:
    """All free slots for the motif in the département, sorted by start then referent.

    ``referents``: only theirs (default: the département's active referents).
    ``sauf``: a meeting being moved, whose own time does not count as busy.
    Always read from the database: bookings check their slot with this, inside their lock.
    """
    fuseau = fuseau_de(departement)
    minimum, maximum = _fenetre(motif, maintenant)
    premier_jour = datetime.datetime.fromtimestamp(minimum, fuseau).date()
    dernier_jour = datetime.datetime.fromtimestamp(maximum, fuseau).date()
    premier_jour = max(du, premier_jour) if du else premier_jour
    dernier_jour = min(au, dernier_jour) if au else dernier_jour
    if premier_jour > dernier_jour:
        return []
    libres = _calculer(departement, motif, fuseau, premier_jour, dernier_jour,
                       referents=referents, sauf=sauf, fenetre=(minimum, maximum))  # fmt: skip
    return _creneaux(*libres, fuseau, motif)


# The public week of a département, per process (guichet.cache, "rendezvous.affiches"):
# key → the days' free slots as three columns (see ``_calculer``).


def creneaux_affiches(
    *,
    departement: Departement,
    motif: MotifRendezVous,
    du: datetime.date,
    au: datetime.date,
    maintenant: datetime.datetime | None = None,
) -> list[Creneau]:
    """The slots the public list shows: ``creneaux_libres`` for the département's active
    referents, from ``du`` to ``au``, with one query when nothing changed.

    The days' free slots are kept in the process under the agenda's content version
    (guichet.versions), which every statement writing a table of the agendas bumps (triggers
    of migration rendezvous 0007, bulk updates and raw SQL included), read here on each call:
    a taken slot disappears at once, in every process. The booking window moves with the clock,
    so it is applied on each read, never cached.
    """
    fuseau = fuseau_de(departement)
    if du > au:
        return []
    versions = versions_contenu(AGENDA)
    cle = (departement.pk, fuseau.key, motif.pk, motif.duree_minutes, motif.tampon_minutes,
           motif.max_par_jour, du, au, versions)  # fmt: skip
    libres = memoire("rendezvous.affiches").get(cle)
    if libres is None:
        # Read after the versions: the slots are at least as recent as the key.
        libres = _calculer(departement, motif, fuseau, du, au, referents=None, sauf=None)
        memoire("rendezvous.affiches").set(cle, libres)
    minimum, maximum = _fenetre(motif, maintenant)
    debut, fin = bisect_left(libres[0], minimum), bisect_right(libres[0], maximum)
    return _creneaux(*(colonne[debut:fin] for colonne in libres), fuseau, motif)


# The first free slots of a département from a day to the end of the booking window, per
# process (guichet.cache, "rendezvous.prochains"): key → up to PROCHAINS_GARDES of them, as
# the three columns of ``_calculer``.
PROCHAINS_GARDES = 20


def prochain_creneau_affiche(
    *,
    departement: Departement,
    motif: MotifRendezVous,
    du: datetime.date,
    maintenant: datetime.datetime | None = None,
) -> Creneau | None:
    """The first free slot the public list can offer from ``du`` on (the "next free slot" of
    an empty week), with one query when nothing changed.

    Kept like ``creneaux_affiches``, under the agenda's content version and the last day of
    the window; only the first few slots are kept. They are computed from the notice's bound
    of that moment, which only moves forward: when the clock has passed all the kept ones and
    there may be more, they are computed again.
    """
    fuseau = fuseau_de(departement)
    minimum, maximum = _fenetre(motif, maintenant)
    au = datetime.datetime.fromtimestamp(maximum, fuseau).date()
    if du > au:
        return None
    versions = versions_contenu(AGENDA)
    cle = (departement.pk, fuseau.key, motif.pk, motif.duree_minutes, motif.tampon_minutes,
           motif.max_par_jour, du, au, versions)  # fmt: skip
    premiers = memoire("rendezvous.prochains").get(cle)
    if premiers is None or (len(premiers[0]) == PROCHAINS_GARDES and premiers[0][-1] < minimum):
        libres = _calculer(departement, motif, fuseau, du, au, referents=None, sauf=None,
                           fenetre=(minimum, float("inf")))  # fmt: skip
        premiers = tuple(colonne[:PROCHAINS_GARDES] for colonne in libres)
        memoire("rendezvous.prochains").set(cle, premiers)
    suivant = bisect_left(premiers[0], minimum)
    if suivant == len(premiers[0]) or premiers[0][suivant] > maximum:
        return None
    return _creneaux(*(colonne[suivant : suivant + 1] for colonne in premiers), fuseau, motif)[0]


def _fenetre(motif, maintenant) -> tuple[float, float]:
    """The bookable starts as UTC timestamps: after the notice, up to the horizon."""
    maintenant = maintenant or timezone.now()
    debut = maintenant + datetime.timedelta(hours=motif.delai_minimum_heures)
    fin = maintenant + datetime.timedelta(days=motif.fenetre_jours)
    return debut.timestamp(), fin.timestamp()


def _calculer(departement, motif, fuseau, premier_jour, dernier_jour, *, referents, sauf,
              fenetre=None) -> tuple[list[float], list[int], list[Lieu]]:  # fmt: skip
    """Free slots of the days sorted by start then referent, as three columns: UTC starts,
    referents, places. Two queries."""
    plages = PlageOuverture.objects.filter(motifs=motif, date_debut__lte=dernier_jour).exclude(
        date_fin__lt=premier_jour
    )
    if referents is None:
        plages = plages.filter(referent__actif=True, referent__departements=departement)
    else:
        plages = plages.filter(referent__in=[r.pk for r in referents])
    plages = [(p, p.referent_id, p.lieu) for p in plages.select_related("lieu").order_by("pk")]
    if not plages:
        return [], [], []
    borne_basse = datetime.datetime.combine(premier_jour, datetime.time.min, fuseau)
    borne_haute = datetime.datetime.combine(dernier_jour, datetime.time.max, fuseau)
    ids = sorted({referent_id for _, referent_id, _ in plages})
    occupations = _occupations(ids, borne_basse, borne_haute, sauf)
    agendas, jours_complets = _agendas(ids, occupations, motif, fuseau)
    feries = jours_feries(departement.code, {premier_jour.year, dernier_jour.year})
    fenetre = fenetre or (float("-inf"), float("inf"))
    return _libres(plages, agendas, jours_complets, feries, fuseau, motif,
                   premier_jour, dernier_jour, fenetre)  # fmt: skip


def _agendas(ids, occupations, motif, fuseau):
    """Each referent's merged busy intervals, and the days each referent already has the
    motif's daily maximum of meetings (counted only when the motif has one)."""
    occupe: dict[int, list[tuple[int, int]]] = {referent_id: [] for referent_id in ids}
    reserves: dict[tuple[int, datetime.date], int] = defaultdict(int)  # this motif, per day
    for referent_id, debut, fin, motif_id in occupations:
        occupe[referent_id].append((debut, fin))
        if motif.max_par_jour and motif_id == motif.pk:
            jour = datetime.datetime.fromtimestamp(debut, fuseau).date()
            reserves[(referent_id, jour)] += 1
    jours_complets: dict[int, set[datetime.date]] = defaultdict(set)
    for (referent_id, jour), nombre in reserves.items():
        if nombre >= motif.max_par_jour:
            jours_complets[referent_id].add(jour)
    return {referent_id: _fusionner(occupe[referent_id]) for referent_id in ids}, jours_complets


def _libres(plages, agendas, jours_complets, feries, fuseau, motif, premier_jour, dernier_jour,
            fenetre) -> tuple[list[float], list[int], list[Lieu]]:  # fmt: skip
    """The free starts of every opening hours over the days, sorted by start then referent, as
    three columns (UTC starts, referents, places): no database, plain data in and out.

    Each opening hours walks its own open days once; each day's starts are cut by the busy
    intervals as slices (see ``_hors_occupations``). The columns are then ordered once, by
    start only: a day's starts all come before the next day's, and the referents are walked
    in id order, which the stable sort keeps among equal starts. Columns of plain numbers
    rather than a tuple per slot: no object for the garbage collector to follow but the slots.
    """
    par_referent: dict[int, list] = defaultdict(list)
    for plage, referent_id, lieu in plages:
        par_referent[referent_id].append((plage, lieu))
    # A referent with two opening hours on the same day may offer a start twice: then every
    # referent's starts are kept once, at the later opening hours' place (ids ascending).
    doublons_possibles = any(len(siennes) > 1 for siennes in par_referent.values())
    horaires: dict = {}  # a day's starts of the same hours, computed once for every referent
    debuts: list[float] = []
    referents: list[int] = []
    lieux: list[Lieu] = []
    for referent_id in sorted(par_referent):
        agenda, complets = agendas[referent_id], jours_complets.get(referent_id, ())
        lieux_par_debut: dict[float, Lieu] = {}
        for plage, lieu in par_referent[referent_id]:
            siens: list[float] = []
            for jour in plage.jours_ouverts(premier_jour, dernier_jour):
                if jour not in feries and jour not in complets:
                    siens += _debuts_libres(plage, jour, fuseau, motif, fenetre, agenda, horaires)
            if doublons_possibles:
                lieux_par_debut.update(zip(siens, repeat(lieu)))
            else:
                debuts += siens
                lieux += repeat(lieu, len(siens))
        debuts += lieux_par_debut
        lieux += lieux_par_debut.values()
        referents += repeat(referent_id, len(debuts) - len(referents))
    ordre = sorted(range(len(debuts)), key=debuts.__getitem__)
    return tuple(list(map(colonne.__getitem__, ordre)) for colonne in (debuts, referents, lieux))


def _instants(debut_plage, fin_plage, jour, fuseau, motif, fenetre) -> list[float]:
    """UTC starts of opening hours that day, within the booking window.

    Slots follow the wall clock from the hours' start, one step (duration + buffer) apart;
    on a day the clocks change inside the opening hours each start is converted on its own.
    """
    duree = datetime.timedelta(minutes=motif.duree_minutes)
    pas = duree + datetime.timedelta(minutes=motif.tampon_minutes)
    debut = datetime.datetime.combine(jour, debut_plage, fuseau)
    fin_plage = datetime.datetime.combine(jour, fin_plage, fuseau)
    if debut + duree > fin_plage:  # same zone: compared as the clock reads
        return []
    nombre = (fin_plage - duree - debut) // pas + 1
    dernier = debut + (nombre - 1) * pas
    if debut.utcoffset() == dernier.utcoffset():
        t0, secondes = debut.timestamp(), pas.total_seconds()
        instants = [t0 + n * secondes for n in range(nombre)]
    else:
        instants = [(debut + n * pas).timestamp() for n in range(nombre)]
    minimum, maximum = fenetre
    if instants[0] < minimum or instants[-1] > maximum:  # ascending: cut by bisection
        instants = instants[bisect_left(instants, minimum) : bisect_right(instants, maximum)]
    return instants


def _debuts_libres(plage, jour, fuseau, motif, fenetre, agenda, horaires=None):
    """UTC starts of the plage's free slots that day, within the booking window.

    ``horaires``: a dict kept over one search, where the starts of the same hours on the
    same day are computed once (the referents of a département often share their hours).
    """
    cle = (jour, plage.heure_debut, plage.heure_fin)
    du_jour = None if horaires is None else horaires.get(cle)
    if du_jour is None:
        du_jour = _horaire_du_jour(plage, jour, fuseau, motif, fenetre)
        if horaires is not None:
            horaires[cle] = du_jour
    instants, fins_creneaux = du_jour
    if not instants:
        return instants
    debuts, fins = agenda
    longueur = (motif.duree_minutes + motif.tampon_minutes) * 60
    i = bisect_right(fins, instants[0])  # the first busy interval ending after the first start
    if i == len(debuts) or debuts[i] >= instants[-1] + longueur:
        return instants  # nothing busy during these hours: every start is free
    if fins_creneaux is not None:
        return _hors_occupations(instants, fins_creneaux, debuts, fins, i)
    return [
        t
        for t in instants
        if (j := bisect_right(fins, t)) == len(debuts) or debuts[j] >= t + longueur
    ]


def _horaire_du_jour(plage, jour, fuseau, motif, fenetre):
    """The plage's starts that day, and the ends of their slots with the buffer (None on a
    day the clocks spring forward inside the hours, where a start in the skipped hour reads
    as the hour after and the starts are no longer ascending: checked one by one)."""
    instants = _instants(plage.heure_debut, plage.heure_fin, jour, fuseau, motif, fenetre)
    if instants != sorted(instants):
        return instants, None
    longueur = (motif.duree_minutes + motif.tampon_minutes) * 60
    return instants, [t + longueur for t in instants]


def _hors_occupations(instants, fins_creneaux, debuts, fins, i) -> list[float]:
    """The ascending ``instants`` whose slot (ending at ``fins_creneaux``) meets no busy
    interval from the ``i``-th on, as slices: a busy interval [d, f) takes the starts t with
    t + duration + buffer > d and t < f, found by bisection, so the cost follows the busy
    intervals of the day and not its starts."""
    libres: list[float] = []
    suivant = 0  # the first start no busy interval seen so far takes
    limite = fins_creneaux[-1]
    while i < len(debuts) and debuts[i] < limite:
        premier_pris = bisect_right(fins_creneaux, debuts[i], suivant)
        libres += instants[suivant:premier_pris]
        suivant = bisect_left(instants, fins[i], premier_pris)
        i += 1
    libres += instants[suivant:]
    return libres


def _creneaux(debuts, referents, lieux, fuseau, motif) -> list[Creneau]:
    local = datetime.datetime.fromtimestamp
    heures = {debut: local(debut, fuseau) for debut in set(debuts)}  # referents share starts
    duree = datetime.timedelta(minutes=motif.duree_minutes)
    return list(map(Creneau, zip(referents, lieux, map(heures.__getitem__, debuts), repeat(duree))))


def lieux_de(creneaux: list[Creneau]) -> dict[int, Lieu]:
    """The places of the slots, by id (already loaded with the opening hours)."""
    return {c.lieu_id: c.lieu for c in creneaux}
