"""Free slots of the referents: opening hours minus absences, public holidays and bookings.

One query per table, computed in Python (tens of referents, a few months): the
RDV Service Public lesson is to never query per day or per occurrence.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

from guichet.models import FUSEAU_PAR_DEFAUT, Departement
from rendezvous.models import (
    Absence,
    Lieu,
    MotifRendezVous,
    PlageOuverture,
    Referent,
    RendezVous,
)


@dataclass(frozen=True)
class Creneau:
    referent_id: int
    lieu_id: int
    debut: datetime.datetime  # aware, in the region's time zone
    fin: datetime.datetime

    @property
    def cle(self) -> str:
        """Identifies the slot in URLs and forms: referent and UTC start."""
        utc = self.debut.astimezone(datetime.UTC)
        return f"{self.referent_id}-{utc:%Y%m%dT%H%M}"


def lire_cle(cle: str) -> tuple[int, datetime.datetime] | None:
    try:
        referent, debut = cle.split("-", 1)
        return int(referent), datetime.datetime.strptime(debut, "%Y%m%dT%H%M").replace(
            tzinfo=datetime.UTC
        )
    except (ValueError, AttributeError):
        return None


def fuseau_de(departement: Departement) -> ZoneInfo:
    return ZoneInfo(departement.region.fuseau_horaire or FUSEAU_PAR_DEFAUT)


@cache
def _subdivisions() -> frozenset[str]:
    return frozenset(holidays.France.subdivisions)


def jours_feries(departement_code: str, annees: set[int]) -> set[datetime.date]:
    """French public holidays, overseas and Alsace-Moselle ones included."""
    subdiv = departement_code if departement_code in _subdivisions() else None
    return set(holidays.France(subdiv=subdiv, years=sorted(annees)).keys())


def creneaux_libres(
    *,
    departement: Departement,
    motif: MotifRendezVous,
    maintenant: datetime.datetime | None = None,
    referents: list[Referent] | None = None,
    du: datetime.date | None = None,
    au: datetime.date | None = None,
) -> list[Creneau]:
    """All free slots for the motif in the département, sorted by start then referent."""
    maintenant = maintenant or timezone.now()
    fuseau = fuseau_de(departement)
    debut_fenetre = maintenant + datetime.timedelta(hours=motif.delai_minimum_heures)
    fin_fenetre = maintenant + datetime.timedelta(days=motif.fenetre_jours)
    premier_jour = max(du, debut_fenetre.astimezone(fuseau).date()) if du else (
        debut_fenetre.astimezone(fuseau).date()
    )  # fmt: skip
    dernier_jour = min(au, fin_fenetre.astimezone(fuseau).date()) if au else (
        fin_fenetre.astimezone(fuseau).date()
    )  # fmt: skip
    if premier_jour > dernier_jour:
        return []
    if referents is None:
        referents = list(Referent.objects.filter(actif=True, departements=departement))
    ids = [r.pk for r in referents]
    if not ids:
        return []
    plages = list(
        PlageOuverture.objects.filter(referent__in=ids, motifs=motif, date_debut__lte=dernier_jour)
        .exclude(date_fin__lt=premier_jour)
        .only("referent_id", "lieu_id", "jours", "heure_debut", "heure_fin", "date_debut",
              "date_fin", "toutes_les_n_semaines")
    )  # fmt: skip
    borne_basse = datetime.datetime.combine(premier_jour, datetime.time.min, fuseau)
    borne_haute = datetime.datetime.combine(dernier_jour, datetime.time.max, fuseau)
    # Busy intervals as UTC timestamps, indexed by (referent, local day): each candidate slot is
    # only compared with its own day's intervals.
    occupe: dict[tuple[int, datetime.date], list[tuple[float, float]]] = defaultdict(list)

    def occuper(referent_id, debut, fin):
        jour, dernier = debut.astimezone(fuseau).date(), fin.astimezone(fuseau).date()
        while jour <= dernier:
            occupe[(referent_id, jour)].append((debut.timestamp(), fin.timestamp()))
            jour += datetime.timedelta(days=1)

    for a in Absence.objects.filter(referent__in=ids, fin__gt=borne_basse, debut__lt=borne_haute):
        occuper(a.referent_id, a.debut, a.fin)
    par_jour: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for rdv in (
        RendezVous.objects.actifs()
        .filter(referent__in=ids, fin_bloquee__gt=borne_basse, debut__lt=borne_haute)
        .only("referent_id", "motif_id", "debut", "fin_bloquee")
    ):
        occuper(rdv.referent_id, rdv.debut, rdv.fin_bloquee)
        if rdv.motif_id == motif.pk:
            par_jour[(rdv.referent_id, rdv.debut.astimezone(fuseau).date())] += 1

    feries = jours_feries(departement.code, {premier_jour.year, dernier_jour.year})
    duree = datetime.timedelta(minutes=motif.duree_minutes)
    pas = duree + datetime.timedelta(minutes=motif.tampon_minutes)
    resultat: list[Creneau] = []
    jour = premier_jour
    while jour <= dernier_jour:
        if jour not in feries:
            for plage in plages:
                if not plage.ouvre_le(jour):
                    continue
                debut = datetime.datetime.combine(jour, plage.heure_debut, fuseau)
                fin_plage = datetime.datetime.combine(jour, plage.heure_fin, fuseau)
                du_jour = occupe.get((plage.referent_id, jour), ())
                while debut + duree <= fin_plage:
                    t0 = debut.timestamp()
                    t1 = t0 + pas.total_seconds()
                    libre = not any(d < t1 and f > t0 for d, f in du_jour)
                    if libre and debut_fenetre <= debut <= fin_fenetre:
                        resultat.append(
                            Creneau(plage.referent_id, plage.lieu_id, debut, debut + duree)
                        )
                    debut += pas
        jour += datetime.timedelta(days=1)

    if motif.max_par_jour:  # a day that has its maximum of bookings offers no more slots
        resultat = [
            c for c in resultat
            if par_jour[(c.referent_id, c.debut.date())] < motif.max_par_jour
        ]  # fmt: skip
    uniques = {(c.referent_id, c.debut): c for c in resultat}  # overlapping opening hours
    return sorted(uniques.values(), key=lambda c: (c.debut, c.referent_id))


def lieux_de(creneaux: list[Creneau]) -> dict[int, Lieu]:
    return Lieu.objects.in_bulk({c.lieu_id for c in creneaux})
