"""Free slots of the referents: opening hours minus absences, public holidays and bookings.

Two queries per search, whatever the window: the opening hours (with their place) of the
referents who offer the motif, then their absences and active meetings together, as whole UTC
seconds. The rest is integer arithmetic: each referent's busy intervals are merged and sorted
once, and a candidate slot is checked by bisection instead of against every interval of its
day. The RDV Service Public lesson: never query per day or per occurrence.
"""

import datetime
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from functools import cache, lru_cache
from operator import itemgetter
from zoneinfo import ZoneInfo

import holidays
from django.db import connection
from django.db.models import BigIntegerField, Func, Value
from django.utils import timezone

from guichet.models import FUSEAU_PAR_DEFAUT, Departement
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


def fuseau_de(departement: Departement) -> ZoneInfo:
    return ZoneInfo(departement.region.fuseau_horaire or FUSEAU_PAR_DEFAUT)


@cache
def _subdivisions() -> frozenset[str]:
    return frozenset(holidays.France.subdivisions)


@lru_cache(maxsize=512)
def _feries_de_l_annee(subdiv: str | None, annee: int) -> frozenset[datetime.date]:
    # The calendar of a year and a subdivision never changes: built once per worker.
    return frozenset(holidays.France(subdiv=subdiv, years=annee).keys())


def jours_feries(departement_code: str, annees: set[int]) -> set[datetime.date]:
    """French public holidays, overseas and Alsace-Moselle ones included."""
    subdiv = departement_code if departement_code in _subdivisions() else None
    return set().union(*(_feries_de_l_annee(subdiv, annee) for annee in sorted(annees)))


class _Epoque(Func):
    """A timestamp as whole UTC seconds, rounded outwards (``FLOOR`` or ``CEIL``)."""

    template = "%(function)s(EXTRACT(EPOCH FROM %(expressions)s))::bigint"
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
    return _creneaux(libres, fuseau, motif)


# The public week of a département, per process: key → sorted (start, referent, place) tuples.
_AFFICHES: OrderedDict = OrderedDict()
AFFICHES_MAX = 512


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
    libres = _AFFICHES.get(cle)
    if libres is None:
        # Read after the versions: the slots are at least as recent as the key.
        libres = _calculer(departement, motif, fuseau, du, au, referents=None, sauf=None)
        _AFFICHES[cle] = libres
        if len(_AFFICHES) > AFFICHES_MAX:
            _AFFICHES.popitem(last=False)
    else:
        _AFFICHES.move_to_end(cle)
    minimum, maximum = _fenetre(motif, maintenant)
    return _creneaux([x for x in libres if minimum <= x[0] <= maximum], fuseau, motif)


# The first free slots of a département from a day to the end of the booking window, per
# process: key → up to PROCHAINS_GARDES sorted (start, referent, place) tuples.
_PROCHAINS: OrderedDict = OrderedDict()
PROCHAINS_MAX = 512
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
    premiers = _PROCHAINS.get(cle)
    if premiers is None or (len(premiers) == PROCHAINS_GARDES and premiers[-1][0] < minimum):
        libres = _calculer(departement, motif, fuseau, du, au, referents=None, sauf=None,
                           fenetre=(minimum, float("inf")))  # fmt: skip
        premiers = libres[:PROCHAINS_GARDES]
        _PROCHAINS[cle] = premiers
        if len(_PROCHAINS) > PROCHAINS_MAX:
            _PROCHAINS.popitem(last=False)
    else:
        _PROCHAINS.move_to_end(cle)
    suivant = next((x for x in premiers if minimum <= x[0] <= maximum), None)
    return _creneaux([suivant], fuseau, motif)[0] if suivant else None


def _fenetre(motif, maintenant) -> tuple[float, float]:
    """The bookable starts as UTC timestamps: after the notice, up to the horizon."""
    maintenant = maintenant or timezone.now()
    debut = maintenant + datetime.timedelta(hours=motif.delai_minimum_heures)
    fin = maintenant + datetime.timedelta(days=motif.fenetre_jours)
    return debut.timestamp(), fin.timestamp()


def _calculer(departement, motif, fuseau, premier_jour, dernier_jour, *, referents, sauf,
              fenetre=None) -> list[tuple[float, int, Lieu]]:  # fmt: skip
    """Free slots of the days as sorted (UTC start, referent, place); two queries."""
    plages = PlageOuverture.objects.filter(motifs=motif, date_debut__lte=dernier_jour).exclude(
        date_fin__lt=premier_jour
    )
    if referents is None:
        plages = plages.filter(referent__actif=True, referent__departements=departement)
    else:
        plages = plages.filter(referent__in=[r.pk for r in referents])
    plages = [(p, p.referent_id, p.lieu) for p in plages.select_related("lieu").order_by("pk")]
    if not plages:
        return []
    borne_basse = datetime.datetime.combine(premier_jour, datetime.time.min, fuseau)
    borne_haute = datetime.datetime.combine(dernier_jour, datetime.time.max, fuseau)
    ids = sorted({referent_id for _, referent_id, _ in plages})
    occupe: dict[int, list[tuple[int, int]]] = defaultdict(list)
    reserves: dict[tuple[int, datetime.date], int] = defaultdict(int)  # this motif, per day
    for referent_id, debut, fin, motif_id in _occupations(ids, borne_basse, borne_haute, sauf):
        occupe[referent_id].append((debut, fin))
        if motif.max_par_jour and motif_id == motif.pk:
            jour = datetime.datetime.fromtimestamp(debut, fuseau).date()
            reserves[(referent_id, jour)] += 1
    agendas = {referent_id: _fusionner(occupe[referent_id]) for referent_id in ids}
    feries = jours_feries(departement.code, {premier_jour.year, dernier_jour.year})
    fenetre = fenetre or (float("-inf"), float("inf"))
    par_referent = defaultdict(int)
    for _, referent_id, _ in plages:
        par_referent[referent_id] += 1
    # A referent with two opening hours on the same day may offer a start twice: only then
    # is the day's list deduplicated.
    doublons_possibles = any(n > 1 for n in par_referent.values())
    resultat: list[tuple[float, int, Lieu]] = []
    jour = premier_jour
    un_jour = datetime.timedelta(days=1)
    while jour <= dernier_jour:
        if jour not in feries:
            du_jour: list[tuple[float, int, Lieu]] = []
            for plage, referent_id, lieu in plages:
                if plage.ouvre_le(jour) and not (
                    motif.max_par_jour
                    and reserves.get((referent_id, jour), 0) >= motif.max_par_jour
                ):
                    du_jour.extend((debut, referent_id, lieu) for debut in _debuts_libres(
                        plage, jour, fuseau, motif, fenetre, agendas[referent_id]))  # fmt: skip
            du_jour.sort(key=_DEBUT_REFERENT)
            if doublons_possibles:  # overlapping hours: once (the later opening hours' place)
                dernier = len(du_jour) - 1
                du_jour = [
                    x
                    for i, x in enumerate(du_jour)
                    if i == dernier or _DEBUT_REFERENT(du_jour[i + 1]) != _DEBUT_REFERENT(x)
                ]
            resultat.extend(du_jour)
        jour += un_jour
    return resultat


_DEBUT_REFERENT = itemgetter(0, 1)


def _debuts_libres(plage, jour, fuseau, motif, fenetre, agenda):
    """UTC starts of the plage's free slots that day, within the booking window.

    Slots follow the wall clock from the plage's start, one step (duration + buffer) apart;
    on a day the clocks change inside the opening hours each start is converted on its own.
    """
    duree = datetime.timedelta(minutes=motif.duree_minutes)
    pas = duree + datetime.timedelta(minutes=motif.tampon_minutes)
    debut = datetime.datetime.combine(jour, plage.heure_debut, fuseau)
    fin_plage = datetime.datetime.combine(jour, plage.heure_fin, fuseau)
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
        if not instants:
            return instants
    debuts, fins = agenda
    longueur = pas.total_seconds()
    i = bisect_right(fins, instants[0])  # the first busy interval ending after the first start
    if i == len(debuts) or debuts[i] >= instants[-1] + longueur:
        return instants  # nothing busy during these hours: every start is free
    return [
        t
        for t in instants
        if (j := bisect_right(fins, t)) == len(debuts) or debuts[j] >= t + longueur
    ]


def _creneaux(libres, fuseau, motif) -> list[Creneau]:
    duree = datetime.timedelta(minutes=motif.duree_minutes)
    local = datetime.datetime.fromtimestamp
    return [
        Creneau((referent_id, lieu, local(debut, fuseau), duree))
        for debut, referent_id, lieu in libres
    ]


def lieux_de(creneaux: list[Creneau]) -> dict[int, Lieu]:
    """The places of the slots, by id (already loaded with the opening hours)."""
    return {c.lieu_id: c.lieu for c in creneaux}
