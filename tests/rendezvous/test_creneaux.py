"""Slot generation: opening hours minus holidays, absences, bookings and buffers, in the
region's own time zone, within the notice and the window, up to the daily maximum."""

import datetime
from zoneinfo import ZoneInfo

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
PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


def preparer(dep=None, **motif):
    dep = dep or territoire()
    motif = MotifFactory(**motif)
    referent = ReferentFactory(departements=[dep])
    plage = PlageFactory(referent=referent, motifs=[motif], lieu=LieuFactory(departement=dep))
    return dep, motif, referent, plage


def heures(creneaux, jour=None, fuseau=PARIS):
    return [
        c.debut.astimezone(fuseau).strftime("%H:%M")
        for c in creneaux
        if jour is None or c.debut.astimezone(fuseau).date() == jour
    ]


def libres(dep, motif, jour, maintenant=None):
    return creneaux_libres(
        departement=dep,
        motif=motif,
        du=jour,
        au=jour,
        maintenant=maintenant or datetime.datetime(2026, 11, 30, 6, 0, tzinfo=UTC),
    )


def test_decoupage_avec_battement():
    dep, motif, *_ = preparer()
    assert heures(libres(dep, motif, datetime.date(2026, 12, 7))) == ["09:00", "10:00", "11:00"]


def test_battement_plus_long_espace_les_creneaux():
    dep, motif, *_ = preparer(duree_minutes=60, tampon_minutes=30)
    assert heures(libres(dep, motif, datetime.date(2026, 12, 7))) == ["09:00", "10:30"]


def test_rendez_vous_existant_et_son_battement_bloquent(settings):
    dep, motif, referent, _ = preparer()
    RendezVousFactory(
        referent=referent, motif=motif, debut=datetime.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)
    )
    assert heures(libres(dep, motif, datetime.date(2026, 12, 7))) == ["10:00", "11:00"]


def test_rendez_vous_annule_libere_le_creneau():
    dep, motif, referent, _ = preparer()
    RendezVousFactory(
        referent=referent,
        motif=motif,
        statut="annule-usager",
        debut=datetime.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS),
    )
    assert "09:00" in heures(libres(dep, motif, datetime.date(2026, 12, 7)))


def test_absence():
    dep, motif, referent, _ = preparer()
    Absence.objects.create(
        referent=referent,
        debut=datetime.datetime(2026, 12, 7, 9, 30, tzinfo=PARIS),
        fin=datetime.datetime(2026, 12, 7, 10, 30, tzinfo=PARIS),
    )
    assert heures(libres(dep, motif, datetime.date(2026, 12, 7))) == ["11:00"]


def test_jours_feries_metropole_et_outre_mer():
    dep, motif, *_ = preparer()
    assert libres(dep, motif, datetime.date(2026, 12, 25)) == []  # Noël
    mq, motif_mq, *_ = preparer(dep=martinique())
    # 22 May: abolition of slavery, a public holiday in Martinique only.
    mai = datetime.datetime(2027, 5, 1, tzinfo=UTC)
    assert libres(mq, motif_mq, datetime.date(2027, 5, 22), maintenant=mai) == []
    assert libres(dep, motif, datetime.date(2027, 5, 22), maintenant=mai)


def test_fuseau_de_la_martinique():
    mq, motif, *_ = preparer(dep=martinique())
    creneaux = libres(mq, motif, datetime.date(2026, 12, 7))
    assert heures(creneaux, fuseau=ZoneInfo("America/Martinique")) == ["09:00", "10:00", "11:00"]
    assert creneaux[0].debut.astimezone(UTC).hour == 13  # UTC−4


def test_changement_d_heure():
    dep, motif, *_ = preparer(fenetre_jours=365)
    hiver = libres(dep, motif, datetime.date(2027, 3, 27))
    ete = libres(dep, motif, datetime.date(2027, 3, 28))  # clocks go forward that night
    assert heures(hiver) == heures(ete) == ["09:00", "10:00", "11:00"]
    assert hiver[0].debut.astimezone(UTC).hour == 8
    assert ete[0].debut.astimezone(UTC).hour == 7


def test_delai_minimum_et_fenetre():
    dep, motif, *_ = preparer(delai_minimum_heures=2, fenetre_jours=10)
    maintenant = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=PARIS)
    assert heures(libres(dep, motif, datetime.date(2026, 12, 7), maintenant)) == ["11:00"]
    assert libres(dep, motif, datetime.date(2026, 12, 18), maintenant) == []
    assert libres(dep, motif, datetime.date(2026, 12, 16), maintenant)


def test_maximum_par_jour():
    dep, motif, referent, _ = preparer(max_par_jour=1)
    RendezVousFactory(
        referent=referent, motif=motif, debut=datetime.datetime(2026, 12, 7, 11, 0, tzinfo=PARIS)
    )
    assert libres(dep, motif, datetime.date(2026, 12, 7)) == []
    assert libres(dep, motif, datetime.date(2026, 12, 8))


def test_une_semaine_sur_deux_et_jours_ouvres():
    dep, motif, _, plage = preparer()
    plage.jours = [0]  # Mondays
    plage.toutes_les_n_semaines = 2
    plage.date_debut = datetime.date(2026, 11, 30)
    plage.save()
    assert libres(dep, motif, datetime.date(2026, 11, 30))
    assert libres(dep, motif, datetime.date(2026, 12, 7)) == []
    assert libres(dep, motif, datetime.date(2026, 12, 14))
    assert libres(dep, motif, datetime.date(2026, 12, 15)) == []


def test_une_requete_par_table(django_assert_max_num_queries):
    dep, motif, *_ = preparer(fenetre_jours=90)
    for _ in range(3):
        ReferentFactory(departements=[dep])
    dep = type(dep).objects.select_related("region").get(pk=dep.pk)  # as the views load it
    with django_assert_max_num_queries(4):
        creneaux = creneaux_libres(departement=dep, motif=motif)
    assert len(creneaux) > 100
