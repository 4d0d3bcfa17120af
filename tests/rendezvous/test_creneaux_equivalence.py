"""The slot search by open days and busy-interval slices gives exactly the slots of the
day-by-day loop it replaced (kept below as the reference, as it was at commit 48885d4): same
starts, referents, places and order, on generated agendas with holidays, daily maximums,
overlapping opening hours, a booking window and days the clocks change. No database: the
search's core takes plain data."""

import datetime
from bisect import bisect_right
from collections import defaultdict
from itertools import repeat
from operator import itemgetter
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rendezvous import creneaux as moteur
from rendezvous.models import Lieu, MotifRendezVous, PlageOuverture

FUSEAUX = ["Europe/Paris", "America/Martinique", "Indian/Reunion", "America/Miquelon"]
# Around both clock changes of 2026 (29 March, 25 October) and an ordinary month.
DEBUTS = [datetime.date(2026, 3, 20), datetime.date(2026, 10, 18), datetime.date(2026, 12, 1)]
LIEUX = [Lieu(pk=n, nom=f"Lieu {n}") for n in range(1, 4)]
_DEBUT_REFERENT = itemgetter(0, 1)


def _reference_debuts_libres(plage, jour, fuseau, motif, fenetre, agenda, horaires):
    cle = (jour, plage.heure_debut, plage.heure_fin)
    instants = horaires.get(cle)
    if instants is None:
        instants = moteur._instants(
            plage.heure_debut, plage.heure_fin, jour, fuseau, motif, fenetre
        )
        horaires[cle] = instants
    if not instants:
        return instants
    debuts, fins = agenda
    longueur = (motif.duree_minutes + motif.tampon_minutes) * 60
    i = bisect_right(fins, instants[0])
    if i == len(debuts) or debuts[i] >= instants[-1] + longueur:
        return instants
    return [
        t
        for t in instants
        if (j := bisect_right(fins, t)) == len(debuts) or debuts[j] >= t + longueur
    ]


def _reference(plages, occupations, feries, fuseau, motif, premier_jour, dernier_jour, fenetre):
    """The former ``_calculer`` after its two queries."""
    occupe, reserves = defaultdict(list), defaultdict(int)
    for referent_id, debut, fin, motif_id in occupations:
        occupe[referent_id].append((debut, fin))
        if motif.max_par_jour and motif_id == motif.pk:
            reserves[(referent_id, datetime.datetime.fromtimestamp(debut, fuseau).date())] += 1
    agendas = {r: moteur._fusionner(occupe[r]) for r in {r for _, r, _ in plages}}
    par_referent = defaultdict(int)
    for _, referent_id, _ in plages:
        par_referent[referent_id] += 1
    doublons_possibles = any(n > 1 for n in par_referent.values())
    resultat, horaires, jour = [], {}, premier_jour
    while jour <= dernier_jour:
        if jour not in feries:
            du_jour = []
            for plage, referent_id, lieu in plages:
                if plage.ouvre_le(jour) and not (
                    motif.max_par_jour
                    and reserves.get((referent_id, jour), 0) >= motif.max_par_jour
                ):
                    debuts = _reference_debuts_libres(
                        plage, jour, fuseau, motif, fenetre, agendas[referent_id], horaires
                    )
                    du_jour.extend(zip(debuts, repeat(referent_id), repeat(lieu)))
            du_jour.sort(key=_DEBUT_REFERENT)
            if doublons_possibles:
                dernier = len(du_jour) - 1
                du_jour = [
                    x
                    for i, x in enumerate(du_jour)
                    if i == dernier or _DEBUT_REFERENT(du_jour[i + 1]) != _DEBUT_REFERENT(x)
                ]
            resultat.extend(du_jour)
        jour += datetime.timedelta(days=1)
    return resultat


@st.composite
def plages(draw, premier_jour):
    # Quarter hours, mostly by day, the night of the clock change too.
    debut = draw(st.integers(7 * 4, 16 * 4) | st.integers(0, 23 * 4 - 1))
    fin = draw(st.integers(debut + 1, min(debut + 40, 24 * 4 - 1)))
    # Most opening hours begin before the search, some within it.
    date_debut = premier_jour + datetime.timedelta(draw(st.integers(-15, 0) | st.integers(0, 10)))
    date_fin = draw(
        st.none() | st.integers(0, 40).map(lambda n: date_debut + datetime.timedelta(n))
    )
    plage = PlageOuverture(
        jours=draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)),
        heure_debut=datetime.time(debut // 4, debut % 4 * 15),
        heure_fin=datetime.time(fin // 4, fin % 4 * 15),
        date_debut=date_debut,
        date_fin=date_fin,
        toutes_les_n_semaines=draw(st.sampled_from([1, 1, 2, 3])),
    )
    return plage, draw(st.integers(1, 3)), draw(st.sampled_from(LIEUX))


@st.composite
def recherches(draw):
    fuseau = ZoneInfo(draw(st.sampled_from(FUSEAUX)))
    premier_jour = draw(st.sampled_from(DEBUTS)) + datetime.timedelta(draw(st.integers(0, 12)))
    dernier_jour = premier_jour + datetime.timedelta(draw(st.integers(0, 20)))
    origine = int(datetime.datetime.combine(premier_jour, datetime.time(), fuseau).timestamp())
    duree_jours = (dernier_jour - premier_jour).days + 1
    motif = MotifRendezVous(
        pk=1,
        duree_minutes=draw(st.integers(1, 18).map(lambda n: 5 * n)),
        tampon_minutes=draw(st.integers(0, 6).map(lambda n: 5 * n)),
        max_par_jour=draw(st.none() | st.integers(1, 4)),
    )
    choix = draw(st.lists(plages(premier_jour), min_size=1, max_size=5))
    choix = [(plage, referent_id, lieu) for plage, referent_id, lieu in choix]
    # Meetings and absences on five-minute marks by day (where a slot ends as one starts),
    # and a few on any second.
    marques = st.tuples(
        st.integers(1, 3),
        st.integers(-1, duree_jours),
        st.integers(7 * 12, 19 * 12),
        st.integers(1, 36),
        st.sampled_from([1, 2]),
    )
    secondes = st.tuples(
        st.integers(1, 3),
        st.integers(-86400, duree_jours * 86400),
        st.integers(1, 6 * 3600),
        st.sampled_from([1, 2]),
    )
    occupations = [
        (referent_id, debut, debut + 300 * longueur, motif_id)
        for referent_id, jour, marque, longueur, motif_id in draw(
            st.lists(marques, min_size=10, max_size=80)
        )
        for debut in [origine + 86400 * jour + 300 * marque]
    ] + [
        (referent_id, origine + debut, origine + debut + longueur, motif_id)
        for referent_id, debut, longueur, motif_id in draw(st.lists(secondes, max_size=5))
    ]
    jours = [premier_jour + datetime.timedelta(n) for n in range(duree_jours)]
    feries = set(draw(st.lists(st.sampled_from(jours), max_size=3)))
    fenetre = draw(
        st.just((float("-inf"), float("inf")))
        | st.tuples(st.integers(-86400, 2 * 86400), st.integers(0, (duree_jours + 1) * 86400)).map(
            lambda b: (origine + b[0], origine + b[0] + b[1])
        )
    )
    return choix, occupations, feries, fuseau, motif, premier_jour, dernier_jour, fenetre


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recherches())
def test_meme_creneaux_que_la_boucle_jour_par_jour(recherche):
    choix, occupations, feries, fuseau, motif, premier_jour, dernier_jour, fenetre = recherche
    ids = sorted({referent_id for _, referent_id, _ in choix})
    occupations = [o for o in occupations if o[0] in ids]
    agendas, jours_complets = moteur._agendas(ids, occupations, motif, fuseau)
    nouveau = moteur._libres(
        choix, agendas, jours_complets, feries, fuseau, motif, premier_jour, dernier_jour, fenetre
    )
    reference = _reference(
        choix, occupations, feries, fuseau, motif, premier_jour, dernier_jour, fenetre
    )
    assert [(t, r, lieu.pk) for t, r, lieu in zip(*nouveau, strict=True)] == [
        (t, r, lieu.pk) for t, r, lieu in reference
    ]
    creneaux = moteur._creneaux(*nouveau, fuseau, motif)
    assert [(c.referent_id, c.lieu_id, c.debut.timestamp()) for c in creneaux] == [
        (r, lieu.pk, t) for t, r, lieu in reference
    ]
    assert all(c.debut.tzinfo is fuseau for c in creneaux)


@given(plages(datetime.date(2026, 3, 20)), st.integers(-30, 60), st.integers(0, 60))
def test_jours_ouverts_sont_les_jours_ou_la_plage_ouvre(choix, decalage, longueur):
    plage = choix[0]
    du = datetime.date(2026, 3, 20) + datetime.timedelta(decalage)
    au = du + datetime.timedelta(longueur)
    jours = [du + datetime.timedelta(n) for n in range(longueur + 1)]
    assert plage.jours_ouverts(du, au) == [jour for jour in jours if plage.ouvre_le(jour)]
