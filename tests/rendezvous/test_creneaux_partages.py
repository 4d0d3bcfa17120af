"""The search over a département's referents computes the starts of the same opening hours
once for all of them (issue 29): it must give exactly the union of each referent's own search,
whatever hours they share, around the clock change, with bookings and absences."""

import datetime
import itertools
import random

import pytest

from rendezvous.creneaux import creneaux_libres
from rendezvous.models import Absence
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    RendezVousFactory,
    martinique,
    territoire,
)

pytestmark = pytest.mark.django_db
HEURES = [(8, 12), (8, 18), (9, 17), (14, 18), (8, 18)]  # some shared, some not
MAINTENANT = datetime.datetime(2026, 10, 20, 6, 0, tzinfo=datetime.UTC)
CASES = list(itertools.product(range(21), range(7)))  # clocks change 25/10


def _cle(c):
    return (c.debut, c.referent_id, c.lieu_id, c.fin)


@pytest.mark.parametrize("graine", range(3))
@pytest.mark.parametrize("outre_mer", [False, True])
def test_recherche_commune_egale_l_union_des_recherches_par_referent(graine, outre_mer):
    alea = random.Random(graine)
    dep = martinique() if outre_mer else territoire()
    motif = MotifFactory(
        duree_minutes=alea.choice([20, 30, 45]),
        tampon_minutes=alea.choice([0, 10]),
        fenetre_jours=21,
    )
    referents = []
    for n in range(alea.randint(2, 5)):
        referent = ReferentFactory(departements=[dep])
        lieu = LieuFactory(departement=dep)
        for debut, fin in alea.sample(HEURES, alea.randint(1, 2)):
            PlageFactory(
                referent=referent,
                lieu=lieu,
                motifs=[motif],
                jours=sorted(alea.sample(range(7), alea.randint(2, 6))),
                heure_debut=datetime.time(debut),
                heure_fin=datetime.time(fin),
                date_debut=datetime.date(2026, 10, 1),
            )
        # Meetings never overlap (an hour blocked each, two hours apart, off the slots' grid).
        for jour, rang in alea.sample(CASES, alea.randint(0, 12)):
            debut = MAINTENANT + datetime.timedelta(
                days=jour, hours=1 + 2 * rang, minutes=alea.choice([0, 15, 40])
            )
            RendezVousFactory(referent=referent, lieu=lieu, motif=motif, debut=debut)
        if n % 2:
            debut = MAINTENANT + datetime.timedelta(days=alea.randint(0, 20), hours=3)
            Absence.objects.create(
                referent=referent,
                debut=debut,
                fin=debut + datetime.timedelta(hours=alea.randint(1, 30)),
            )
        referents.append(referent)
    ensemble = creneaux_libres(departement=dep, motif=motif, maintenant=MAINTENANT)
    union = []
    for referent in referents:
        union += creneaux_libres(
            departement=dep, motif=motif, maintenant=MAINTENANT, referents=[referent]
        )
    assert ensemble, "a scenario with no free slot proves nothing"
    assert [_cle(c) for c in ensemble] == sorted(_cle(c) for c in union)
