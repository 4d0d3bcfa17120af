"""The public slot list kept per agenda version: every statement that writes a table of the
agendas gives a new key at once (guichet.versions, triggers of rendezvous 0007), bulk updates,
bulk inserts and raw SQL included; the booking window is applied on each read; and the
engine's arithmetic on the edge cases (clock change inside the opening hours,
fractional seconds, overlapping opening hours)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from rendezvous import creneaux as moteur
from rendezvous import services
from rendezvous.creneaux import (
    creneaux_affiches,
    creneaux_libres,
    jours_feries,
    prochain_creneau_affiche,
)
from rendezvous.models import Absence, PlageOuverture, Referent, RendezVous
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
UTC = datetime.UTC
PARIS = ZoneInfo("Europe/Paris")
LUNDI = datetime.date(2026, 12, 7)
DIMANCHE = LUNDI + datetime.timedelta(days=6)
MAINTENANT = datetime.datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
DEMANDEUR = {"nom": "Léa Durand", "courriel": "lea@exemple.fr"}


@pytest.fixture(autouse=True)
def a_l_heure():  # the pages and the booking read the clock
    with time_machine.travel(MAINTENANT, tick=False):
        yield


@pytest.fixture
def offre():
    dep = territoire()
    dep = type(dep).objects.select_related("region").get(pk=dep.pk)  # as the views load it
    motif = MotifFactory()  # 45 min + 15 min: 09:00, 10:00, 11:00 every day
    referent = ReferentFactory(departements=[dep])
    plage = PlageFactory(referent=referent, motifs=[motif], lieu=LieuFactory(departement=dep))
    return dep, motif, referent, plage


def affiches(dep, motif, maintenant=MAINTENANT):
    return creneaux_affiches(
        departement=dep, motif=motif, du=LUNDI, au=DIMANCHE, maintenant=maintenant
    )


def debuts(creneaux):
    return [c.debut for c in creneaux]


def a(heure, jour=LUNDI, zone=PARIS):
    return datetime.datetime.combine(jour, datetime.time(heure), zone)


def test_meme_liste_que_le_moteur_et_une_requete_ensuite(offre, django_assert_num_queries):
    dep, motif, referent, _ = offre
    RendezVousFactory(referent=referent, motif=motif, debut=a(10))
    Absence.objects.create(
        referent=referent,
        debut=a(9, LUNDI + datetime.timedelta(days=1)),
        fin=a(12, LUNDI + datetime.timedelta(days=1)),
    )
    attendus = creneaux_libres(
        departement=dep, motif=motif, du=LUNDI, au=DIMANCHE, maintenant=MAINTENANT
    )
    assert affiches(dep, motif) == attendus and len(attendus) == 7 * 3 - 1 - 3
    with django_assert_num_queries(1):  # the versions; nothing else while nothing changed
        assert affiches(dep, motif) == attendus


def test_la_fenetre_de_reservation_suit_l_horloge(offre):
    dep, motif, *_ = offre
    assert a(9) in debuts(affiches(dep, motif))
    plus_tard = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=PARIS)  # same key, later clock
    restants = debuts(affiches(dep, motif, maintenant=plus_tard))
    assert a(9) not in restants and a(10) in restants


def test_une_reservation_retire_le_creneau_aussitot(offre):
    dep, motif, referent, _ = offre
    assert a(9) in debuts(affiches(dep, motif))
    services.rendezvous_reserver(
        departement=dep, motif=motif, referent_id=referent.pk, debut=a(9), demandeur=DEMANDEUR
    )
    assert a(9) not in debuts(affiches(dep, motif))


def test_la_page_publique_ne_propose_plus_un_creneau_pris(client, offre):
    dep, motif, referent, _ = offre
    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={LUNDI}"
    cle = f"{referent.pk}-{a(9).astimezone(UTC):%Y%m%dT%H%M}"
    assert cle in client.get(url).content.decode()
    RendezVousFactory(referent=referent, motif=motif, debut=a(9))  # any write path: a save
    assert cle not in client.get(url).content.decode()


def test_annulation_et_deplacement_rendent_le_creneau(offre):
    dep, motif, referent, _ = offre
    rdv, _ = services.rendezvous_reserver(
        departement=dep, motif=motif, referent_id=referent.pk, debut=a(9), demandeur=DEMANDEUR
    )
    assert a(9) not in debuts(affiches(dep, motif))
    services.rendezvous_deplacer(rdv=rdv, debut=a(11), par_usager=False)
    assert a(9) in debuts(affiches(dep, motif)) and a(11) not in debuts(affiches(dep, motif))
    services.rendezvous_annuler(rdv=RendezVous.objects.get(), par_referent=True, raison="Congé")
    assert {a(9), a(10), a(11)} <= set(debuts(affiches(dep, motif)))


def test_une_absence_retire_les_creneaux_et_sa_suppression_les_rend(offre):
    dep, motif, referent, _ = offre
    assert len(affiches(dep, motif)) == 21
    absence = Absence.objects.create(referent=referent, debut=a(8), fin=a(12))
    assert len(affiches(dep, motif)) == 18 and a(9) not in debuts(affiches(dep, motif))
    absence.fin = a(10)
    absence.save()
    assert a(10) in debuts(affiches(dep, motif)) and a(9) not in debuts(affiches(dep, motif))
    absence.delete()
    assert len(affiches(dep, motif)) == 21


def test_les_horaires_d_ouverture_et_leurs_motifs(offre):
    dep, motif, referent, plage = offre
    assert len(affiches(dep, motif)) == 21
    plage.heure_fin = datetime.time(11, 0)  # 11:00 no longer fits
    plage.save()
    assert len(affiches(dep, motif)) == 14 and a(11) not in debuts(affiches(dep, motif))
    plage.jours = [0]
    plage.save()
    assert len(affiches(dep, motif)) == 2
    PlageFactory(referent=referent, motifs=[motif], lieu=plage.lieu, jours=[1])
    assert len(affiches(dep, motif)) == 5
    motif.plages.remove(plage)  # from the motif's side
    assert len(affiches(dep, motif)) == 3
    motif.plages.clear()
    assert affiches(dep, motif) == []


def test_referent_desactive_ou_retire_du_departement(offre):
    dep, motif, referent, _ = offre
    assert affiches(dep, motif)
    referent.actif = False
    referent.save()
    assert affiches(dep, motif) == []
    referent.actif = True
    referent.save()
    assert affiches(dep, motif)
    dep.referents.remove(referent)  # from the département's side
    assert affiches(dep, motif) == []


def test_le_lieu_modifie_se_lit_dans_la_liste(client, offre):
    dep, motif, _, plage = offre
    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={LUNDI}"
    assert "· sur place" in client.get(url).content.decode()
    plage.lieu.type = "telephone"
    plage.lieu.save()
    html = client.get(url).content.decode()
    assert "· par téléphone" in html and "· sur place" not in html


def test_un_referent_enregistre_apres_une_reservation_ne_ramene_pas_l_ancienne_version(offre):
    dep, motif, referent, _ = offre
    charge = Referent.objects.get(pk=referent.pk)  # an admin page opened before the booking
    assert a(9) in debuts(affiches(dep, motif))
    services.rendezvous_reserver(
        departement=dep, motif=motif, referent_id=referent.pk, debut=a(9), demandeur=DEMANDEUR
    )
    charge.presentation = "Sur rendez-vous."
    charge.save()
    assert a(9) not in debuts(affiches(dep, motif))


def _fin_des_plages_par_update(referent):
    """The Deux-Sèvres case: every opening hour of the referent ended by one UPDATE."""
    PlageOuverture.objects.filter(referent=referent).update(date_fin=LUNDI - datetime.timedelta(1))


def _fin_des_plages_en_sql(referent):
    with connection.cursor() as curseur:
        curseur.execute(
            f"UPDATE {PlageOuverture._meta.db_table} SET date_fin = %s WHERE referent_id = %s",
            [LUNDI - datetime.timedelta(1), referent.pk],
        )


def _absences_en_masse(referent):
    Absence.objects.bulk_create(
        Absence(referent=referent, debut=a(0, jour), fin=a(23, jour))
        for jour in (LUNDI + datetime.timedelta(n) for n in range(7))
    )


def _plages_supprimees(referent):
    PlageOuverture.objects.filter(referent=referent).delete()


def _motifs_retires_en_masse(referent):
    PlageOuverture.motifs.through.objects.filter(plageouverture__referent=referent).delete()


def _referent_desactive_par_update(referent):
    Referent.objects.filter(pk=referent.pk).update(actif=False)


@pytest.mark.parametrize(
    "ecriture",
    [
        _fin_des_plages_par_update,
        _fin_des_plages_en_sql,
        _absences_en_masse,
        _plages_supprimees,
        _motifs_retires_en_masse,
        _referent_desactive_par_update,
    ],
)
def test_une_ecriture_en_masse_vide_la_page_publique_a_la_requete_suivante(client, offre, ecriture):
    """Writes that send no signal (queryset update, raw SQL, bulk_create, queryset delete): the
    public slot page lists no slot that would lead to "no longer available"."""
    dep, motif, referent, _ = offre
    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={LUNDI}"
    assert client.get(url).content.decode().count("creneau=") == 21
    ecriture(referent)
    assert client.get(url).content.decode().count("creneau=") == 0
    assert affiches(dep, motif) == []


def test_des_rendez_vous_crees_en_masse_retirent_leurs_creneaux(client, offre):
    dep, motif, referent, plage = offre
    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={LUNDI}"
    assert client.get(url).content.decode().count("creneau=") == 21
    RendezVous.objects.bulk_create(
        RendezVous(referent=referent, motif=motif, lieu=plage.lieu, debut=a(9, jour),
                   fin=a(9, jour) + datetime.timedelta(minutes=45),
                   fin_bloquee=a(10, jour), nom="Import", courriel=f"{jour}@exemple.fr")
        for jour in (LUNDI + datetime.timedelta(n) for n in range(7))
    )  # fmt: skip
    assert client.get(url).content.decode().count("creneau=") == 14


def test_outre_mer_dans_son_fuseau(django_assert_num_queries):
    dep = martinique()
    dep = type(dep).objects.select_related("region").get(pk=dep.pk)
    motif = MotifFactory()
    referent = ReferentFactory(departements=[dep])
    PlageFactory(referent=referent, motifs=[motif], lieu=LieuFactory(departement=dep))
    zone = ZoneInfo("America/Martinique")
    libres = affiches(dep, motif)
    assert [c.debut.strftime("%H:%M") for c in libres[:3]] == ["09:00", "10:00", "11:00"]
    assert libres[0].debut == a(9, zone=zone) and libres[0].debut.astimezone(UTC).hour == 13
    with django_assert_num_queries(1):
        assert affiches(dep, motif) == libres


def prochain(dep, motif, maintenant=MAINTENANT, du=LUNDI):
    return prochain_creneau_affiche(departement=dep, motif=motif, du=du, maintenant=maintenant)


def test_le_prochain_creneau_est_celui_du_moteur_puis_une_requete(offre, django_assert_num_queries):
    dep, motif, referent, plage = offre
    plage.jours = [3]  # Thursdays only
    plage.save()
    attendu = creneaux_libres(departement=dep, motif=motif, du=LUNDI, maintenant=MAINTENANT)[0]
    assert prochain(dep, motif) == attendu and attendu.debut == a(9, LUNDI + datetime.timedelta(3))
    with django_assert_num_queries(1):  # the versions; nothing else while nothing changed
        assert prochain(dep, motif) == attendu
    services.rendezvous_reserver(
        departement=dep,
        motif=motif,
        referent_id=referent.pk,
        debut=attendu.debut,
        demandeur=DEMANDEUR,
    )
    assert prochain(dep, motif).debut == a(10, LUNDI + datetime.timedelta(3))


def test_le_prochain_creneau_suit_l_horloge_au_dela_des_creneaux_gardes(offre, monkeypatch):
    dep, motif, *_ = offre  # 09:00, 10:00, 11:00 every day
    monkeypatch.setattr(moteur, "PROCHAINS_GARDES", 2)
    tot = datetime.datetime.combine(LUNDI, datetime.time(8), PARIS)
    assert prochain(dep, motif, maintenant=tot).debut == a(9)  # keeps 09:00 and 10:00
    for heure, attendu in ((datetime.time(9, 30), a(10)), (datetime.time(10, 30), a(11))):
        plus_tard = datetime.datetime.combine(LUNDI, heure, PARIS)  # same day, same key
        assert prochain(dep, motif, maintenant=plus_tard).debut == attendu
        assert (
            attendu
            == creneaux_libres(departement=dep, motif=motif, du=LUNDI, maintenant=plus_tard)[
                0
            ].debut
        )


def test_la_semaine_vide_annonce_le_prochain_creneau(client, offre, django_assert_max_num_queries):
    dep, motif, referent, plage = offre
    plage.date_debut = LUNDI + datetime.timedelta(days=21)
    plage.save()
    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={LUNDI}"
    html = client.get(url).content.decode()
    suivante = LUNDI + datetime.timedelta(days=21)
    assert "lundi 28 décembre" in html.lower() and f"semaine={suivante}" in html
    with django_assert_max_num_queries(6):
        client.get(url)
    plage.date_debut = LUNDI + datetime.timedelta(days=22)  # a write: the key changes at once
    plage.save()
    assert "mardi 29 décembre" in client.get(url).content.decode().lower()


# -- the engine's arithmetic -----------------------------------------------------------------


def test_changement_d_heure_pendant_les_horaires_d_ouverture(offre):
    """Slots follow the wall clock; on the night clocks go back each start is converted alone."""
    dep, motif, _, plage = offre
    plage.heure_debut, plage.heure_fin = datetime.time(1, 0), datetime.time(4, 0)
    plage.save()
    motif.fenetre_jours = 400
    jour = datetime.date(2027, 10, 31)  # 03:00 CEST becomes 02:00 CET
    libres = creneaux_libres(departement=dep, motif=motif, du=jour, au=jour, maintenant=MAINTENANT)
    assert [c.debut.astimezone(UTC).strftime("%H:%M") for c in libres] == [
        "23:00",
        "00:00",
        "02:00",
    ]
    assert [c.debut.strftime("%H:%M") for c in libres] == ["01:00", "02:00", "03:00"]


def test_une_fraction_de_seconde_occupee_bloque_le_creneau(offre):
    dep, motif, referent, _ = offre
    Absence.objects.create(
        referent=referent, debut=a(8), fin=a(9) + datetime.timedelta(microseconds=500)
    )
    assert a(9) not in debuts(
        creneaux_libres(departement=dep, motif=motif, du=LUNDI, au=LUNDI, maintenant=MAINTENANT)
    )


def test_horaires_qui_se_chevauchent_un_seul_creneau(offre):
    dep, motif, referent, plage = offre
    PlageFactory(referent=referent, motifs=[motif], lieu=plage.lieu)  # the same hours again
    libres = creneaux_libres(
        departement=dep, motif=motif, du=LUNDI, au=LUNDI, maintenant=MAINTENANT
    )
    assert debuts(libres) == [a(9), a(10), a(11)]


def test_jours_feries_gardes_par_annee_sans_se_melanger():
    metropole = jours_feries("79", {2027})
    metropole.clear()  # the caller's copy: the kept calendar is untouched
    assert datetime.date(2027, 12, 25) in jours_feries("79", {2027})
    assert datetime.date(2027, 5, 22) in jours_feries("972", {2027})
    assert datetime.date(2027, 5, 22) not in jours_feries("79", {2027})
    assert datetime.date(2026, 12, 25) in jours_feries("79", {2026, 2027})


def test_page_publique_trois_requetes_quel_que_soit_le_nombre_de_referents(
    client, offre, django_assert_max_num_queries
):
    dep, motif, _, plage = offre
    for _ in range(3):
        PlageFactory(referent=ReferentFactory(departements=[dep]), motifs=[motif], lieu=plage.lieu)
    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={LUNDI}"
    assert client.get(url).content.decode().count("creneau=") == 4 * 21
    with django_assert_max_num_queries(1):  # the whole page kept: the content version only
        html = client.get(url).content.decode()
    assert html.count("creneau=") == 4 * 21
    caches["pages"].clear()  # the page rendered again: département, motif, agenda versions
    with django_assert_max_num_queries(4):  # (+1 the content version read by the page cache)
        html = client.get(url).content.decode()
    assert html.count("creneau=") == 4 * 21
