"""Booking that cannot double-book, notifications with ICS, reminders, self-service, purge."""

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from icalendar import Calendar

from rendezvous import services
from rendezvous.models import Notification, RendezVous
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    RendezVousFactory,
    martinique,
    territoire,
)

PARIS = ZoneInfo("Europe/Paris")
DEMANDEUR = {"nom": "Léa Durand", "courriel": "lea@exemple.fr", "profession": "infirmier"}


def demain_a(heure, fuseau=PARIS):
    jour = timezone.now().astimezone(fuseau).date() + datetime.timedelta(days=2)
    return datetime.datetime.combine(jour, datetime.time(heure), fuseau)


def installer(dep=None, **motif):
    dep = dep or territoire()
    motif = MotifFactory(**motif)
    referent = ReferentFactory(departements=[dep])
    PlageFactory(
        referent=referent,
        motifs=[motif],
        lieu=LieuFactory(departement=dep),
        date_debut=timezone.localdate(),
    )
    return dep, motif, referent


def reserver(dep, motif, referent, debut, **demandeur):
    return services.rendezvous_reserver(
        departement=dep,
        motif=motif,
        referent_id=referent.pk,
        debut=debut,
        demandeur={**DEMANDEUR, **demandeur},
    )


def ics_de(message) -> Calendar:
    contenu = next(a for a in message.attachments if a[0] == "rendez-vous.ics")
    assert contenu[2].startswith("text/calendar")
    return Calendar.from_ical(contenu[1])


@pytest.mark.django_db
def test_reservation_envoie_confirmation_et_notification_avec_ics(
    django_capture_on_commit_callbacks,
):
    dep, motif, referent = installer()
    with django_capture_on_commit_callbacks(execute=True):
        rdv, jeton = reserver(dep, motif, referent, demain_a(10))
    assert rdv.statut == "confirme" and rdv.fin_bloquee == rdv.fin + datetime.timedelta(minutes=15)
    assert rdv.jeton_empreinte and jeton not in rdv.jeton_empreinte
    assert [m.to for m in mail.outbox] == [["lea@exemple.fr"], [referent.utilisateur.email]]
    confirmation = mail.outbox[0]
    assert f"/rendez-vous/gerer/{jeton}/" in confirmation.body
    cal = ics_de(confirmation)
    assert cal["method"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == f"{rdv.uuid}@guichet.example.gouv.fr"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == rdv.debut
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert cal.walk("VTIMEZONE")
    assert Notification.objects.filter(rendezvous=rdv).count() == 2


@pytest.mark.django_db
def test_annulation_ics_cancel_et_sequence(django_capture_on_commit_callbacks):
    dep, motif, referent = installer()
    with django_capture_on_commit_callbacks(execute=True):
        rdv, _ = reserver(dep, motif, referent, demain_a(10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rendezvous_annuler(rdv=rdv)
    rdv.refresh_from_db()
    assert rdv.statut == "annule-usager" and rdv.sequence == 1
    cal = ics_de(mail.outbox[0])
    assert cal["method"] == "CANCEL"
    assert cal.walk("VEVENT")[0]["sequence"] == 1
    assert {m.to[0] for m in mail.outbox} == {"lea@exemple.fr", referent.utilisateur.email}


@pytest.mark.django_db
def test_outre_mer_heure_locale_dans_le_courriel(django_capture_on_commit_callbacks):
    dep, motif, referent = installer(dep=martinique())
    fdf = ZoneInfo("America/Martinique")
    with django_capture_on_commit_callbacks(execute=True):
        rdv, _ = reserver(dep, motif, referent, demain_a(9, fdf))
    assert "à 09:00" in mail.outbox[0].subject
    assert "heure de la Martinique" in mail.outbox[0].body
    assert "America/" not in mail.outbox[0].body  # never an IANA code
    event = ics_de(mail.outbox[0]).walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "America/Martinique"


@pytest.mark.django_db
def test_creneau_pris_ou_hors_plage_refuse():
    dep, motif, referent = installer()
    reserver(dep, motif, referent, demain_a(10))
    with pytest.raises(services.CreneauIndisponible, match="vient d'être réservé"):
        reserver(dep, motif, referent, demain_a(10), courriel="autre@exemple.fr")
    with pytest.raises(services.CreneauIndisponible):
        reserver(dep, motif, referent, demain_a(15), courriel="tiers@exemple.fr")  # closed
    assert RendezVous.objects.count() == 1


@pytest.mark.django_db
def test_contrainte_d_exclusion_en_base():
    referent = ReferentFactory()
    debut = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)
    RendezVousFactory(referent=referent, debut=debut)
    with pytest.raises(IntegrityError), transaction.atomic():
        RendezVousFactory(referent=referent, debut=debut + datetime.timedelta(minutes=30))
    # Adjacent (after the buffer) and another referent at the same time are fine.
    RendezVousFactory(referent=referent, debut=debut + datetime.timedelta(hours=1))
    RendezVousFactory(debut=debut)
    # A cancelled meeting frees its time.
    RendezVous.objects.filter(debut=debut, referent=referent).update(statut="annule-usager")
    RendezVousFactory(referent=referent, debut=debut)


@pytest.mark.django_db
def test_meme_personne_meme_heure_refusee_en_base():
    debut = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)
    RendezVousFactory(debut=debut, courriel="lea@exemple.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        RendezVousFactory(debut=debut, courriel="lea@exemple.fr")


@pytest.mark.django_db(transaction=True)
def test_concurrence_un_seul_gagnant():
    """Eight real transactions race for one slot: exactly one wins, the others are told."""
    dep, motif, referent = installer()
    debut = demain_a(10)
    depart = threading.Barrier(8)
    resultats = []

    def tenter(n):
        try:
            depart.wait()
            reserver(dep, motif, referent, debut, courriel=f"personne{n}@exemple.fr")
            resultats.append("ok")
        except services.CreneauIndisponible as exc:
            resultats.append(exc.message)
        finally:
            connection.close()

    fils = [threading.Thread(target=tenter, args=(n,)) for n in range(8)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert resultats.count("ok") == 1
    assert resultats.count("Ce créneau vient d'être réservé, choisissez-en un autre.") == 7
    assert RendezVous.objects.actifs().count() == 1


@pytest.mark.django_db
def test_rappels_une_seule_fois_et_jamais_annules():
    maintenant = timezone.now()
    demain = maintenant + datetime.timedelta(hours=20)
    a_rappeler = RendezVousFactory(debut=demain)
    RendezVousFactory(debut=demain + datetime.timedelta(hours=2), statut="annule-usager")
    RendezVousFactory(debut=maintenant + datetime.timedelta(days=3))
    assert services.envoyer_rappels(maintenant=maintenant) == 1
    assert services.envoyer_rappels(maintenant=maintenant) == 0
    assert [m.to for m in mail.outbox] == [[a_rappeler.courriel]]
    assert "Rappel" in mail.outbox[0].subject
    a_rappeler.refresh_from_db()
    assert a_rappeler.rappel_envoye_le is not None


@pytest.mark.django_db
def test_purge_anonymise_les_anciens_et_garde_les_comptes():
    ancien = RendezVousFactory(
        debut=timezone.now() - datetime.timedelta(days=400), message="Mon projet à Melle"
    )
    Notification.objects.create(
        rendezvous=ancien, type="confirmation", destinataire=ancien.courriel
    )
    recent = RendezVousFactory(debut=timezone.now() - datetime.timedelta(days=30))
    assert services.purger_rendezvous(mois=12) == 1
    ancien.refresh_from_db()
    recent.refresh_from_db()
    assert ancien.nom == "(anonymisé)" and ancien.message == "" and "@invalid" in ancien.courriel
    assert ancien.notifications.get().destinataire == "(anonymisé)"
    assert recent.nom == "Léa Durand"
    assert RendezVous.objects.count() == 2
    assert services.purger_rendezvous(mois=12) == 0


@pytest.mark.django_db
def test_la_commande_de_purge_suit_la_duree_de_conservation(settings):
    """One retention: the hand-run command reads RGPD_RENDEZVOUS_MOIS like the nightly purge."""
    from django.core.management import call_command

    settings.RGPD_CONSERVATION = {**settings.RGPD_CONSERVATION, "rendezvous_mois": 24}
    ancien = RendezVousFactory(debut=timezone.now() - datetime.timedelta(days=400))
    call_command("purger_rendezvous", stdout=io.StringIO())
    ancien.refresh_from_db()
    assert ancien.nom == "Léa Durand"  # 13 months < 24: kept
    call_command("purger_rendezvous", "--mois", "12", stdout=io.StringIO())
    ancien.refresh_from_db()
    assert ancien.nom == "(anonymisé)"
