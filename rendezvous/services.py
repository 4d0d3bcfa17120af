"""Booking, cancelling and notifying meetings with the installation referent."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from rendezvous.creneaux import Creneau, creneaux_libres
from rendezvous.models import (
    MotifRendezVous,
    Notification,
    Referent,
    RendezVous,
)

logger = logging.getLogger(__name__)

MESSAGE_PRIS = "Ce créneau vient d'être réservé, choisissez-en un autre."


class CreneauIndisponible(Exception):
    """The slot is no longer free (another booking won the race, or the rules changed)."""

    def __init__(self, message: str = MESSAGE_PRIS):
        super().__init__(message)
        self.message = message


def rendezvous_reserver(
    *,
    departement,
    motif: MotifRendezVous,
    referent_id: int,
    debut: datetime.datetime,
    demandeur: dict,
    utilisateur=None,
) -> tuple[RendezVous, str]:
    """Book a slot; returns the meeting and its self-service token (never stored in clear).

    The referent's row is locked so bookings for one referent are serialised; the slot and the
    daily maximum are checked again inside the lock; the exclusion constraint backs it up.
    Raises CreneauIndisponible when the slot was taken meanwhile.
    """
    try:
        with transaction.atomic():
            referent = (
                Referent.objects.select_for_update()
                .filter(pk=referent_id, actif=True, departements=departement)
                .first()
            )
            if referent is None:
                raise CreneauIndisponible()
            jour = debut.astimezone(datetime.UTC).date()
            libres = creneaux_libres(
                departement=departement,
                motif=motif,
                referents=[referent],
                du=jour - datetime.timedelta(days=1),
                au=jour + datetime.timedelta(days=1),
            )
            creneau: Creneau | None = next((c for c in libres if c.debut == debut), None)
            if creneau is None:
                raise CreneauIndisponible()
            rdv = RendezVous(
                referent=referent,
                motif=motif,
                lieu_id=creneau.lieu_id,
                debut=creneau.debut,
                fin=creneau.fin,
                fin_bloquee=creneau.fin + datetime.timedelta(minutes=motif.tampon_minutes),
                utilisateur=utilisateur if utilisateur and utilisateur.is_authenticated else None,
                **demandeur,
            )
            jeton = rdv.nouveau_jeton()
            rdv.save()
            transaction.on_commit(lambda: notifier_reservation(rdv, jeton))
    except IntegrityError as exc:
        # The exclusion or unique constraint caught what the lock did not (or a double submit).
        if "rendezvous_une_fois_par_personne" in str(exc):
            raise CreneauIndisponible(
                "Vous avez déjà un rendez-vous à cette heure-là : consultez le courriel de "
                "confirmation."
            ) from exc
        raise CreneauIndisponible() from exc
    return rdv, jeton


def rendezvous_annuler(*, rdv: RendezVous, par_referent: bool = False) -> RendezVous:
    """Cancel a meeting (the caller checks the deadline for users) and notify both sides."""
    with transaction.atomic():
        rdv = RendezVous.objects.select_for_update().get(pk=rdv.pk)
        if rdv.est_annule:
            return rdv
        rdv.statut = (
            RendezVous.Statut.ANNULE_REFERENT if par_referent else RendezVous.Statut.ANNULE_USAGER
        )
        rdv.annule_le = timezone.now()
        rdv.sequence += 1
        rdv.save(update_fields=["statut", "annule_le", "sequence"])
        transaction.on_commit(lambda: notifier_annulation(rdv))
    return rdv


def rendezvous_changer_statut(*, rdv: RendezVous, statut: str) -> RendezVous:
    """After the meeting, the referent records whether it took place."""
    if statut not in {RendezVous.Statut.HONORE, RendezVous.Statut.ABSENT}:
        raise ValueError(statut)
    rdv.statut = statut
    rdv.save(update_fields=["statut"])
    return rdv


# -- notifications ---------------------------------------------------------------------------


def _calendrier(**proprietes) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PORTAIL_NOM}//FR")
    cal.add("version", "2.0")
    for nom, valeur in proprietes.items():
        cal.add(nom.replace("_", "-"), valeur)
    return cal


def _evenement(rdv: RendezVous, *, resume: str, lieu: str) -> Event:
    """The fields every calendar view of a meeting shares: stable UID and SEQUENCE."""
    event = Event()
    event.add("uid", f"{rdv.uuid}@{_domaine()}")
    event.add("sequence", rdv.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", rdv.debut_local)
    event.add("dtend", rdv.fin_local)
    event.add("summary", resume)
    event.add("location", vText(lieu))
    return event


def ics(rdv: RendezVous, *, methode: str) -> bytes:
    """The meeting as an iCalendar object: stable UID, SEQUENCE, METHOD REQUEST or CANCEL."""
    cal = _calendrier(method=methode)
    event = _evenement(
        rdv,
        resume=f"{rdv.motif.nom} avec le référent installation",
        lieu=rdv.lieu.adresse or rdv.lieu.get_type_display(),
    )
    event.add("description", _description_ics(rdv))
    event.add("status", "CANCELLED" if methode == "CANCEL" else "CONFIRMED")
    organisateur = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organisateur.params["cn"] = vText(settings.ARS_NOM)
    event.add("organizer", organisateur)
    participant = vCalAddress(f"mailto:{rdv.courriel}")
    participant.params["cn"] = vText(rdv.nom)
    participant.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", participant)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def flux_referent(referent, rendezvous) -> bytes:
    """A referent's private feed: motif and first name only (minimal personal data)."""
    cal = _calendrier(x_wr_calname=f"Rendez-vous — {referent.nom}")
    for rdv in rendezvous:
        prenom = rdv.nom.split(" ")[0]
        cal.add_component(_evenement(rdv, resume=f"{rdv.motif.nom} — {prenom}", lieu=rdv.lieu.nom))
    cal.add_missing_timezones()
    return cal.to_ical()


def _domaine() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _description_ics(rdv: RendezVous) -> str:
    lignes = [f"Référent : {rdv.referent.nom}", f"Lieu : {rdv.lieu.nom}"]
    if rdv.lieu.consignes:
        lignes.append(rdv.lieu.consignes)
    return "\n".join(lignes)


def _envoyer(rdv, *, type_, destinataire, gabarit, contexte, methode_ics=None):
    with timezone.override(rdv.fuseau):  # times as the clock shows them where the meeting is
        sujet = render_to_string(f"emails/{gabarit}_subject.txt", contexte).strip()
        corps = render_to_string(f"emails/{gabarit}_body.txt", contexte)
    message = EmailMultiAlternatives(sujet, corps, to=[destinataire])
    if methode_ics:
        contenu = ics(rdv, methode=methode_ics)
        message.attach("rendez-vous.ics", contenu, f"text/calendar; method={methode_ics}")
    try:
        message.send()
        Notification.objects.create(rendezvous=rdv, type=type_, destinataire=destinataire)
    except Exception as exc:  # a mail failure is logged, never breaks a booking
        logger.exception("Échec d'envoi %s pour le rendez-vous %s", type_, rdv.uuid)
        Notification.objects.create(
            rendezvous=rdv, type=type_, destinataire=destinataire, succes=False, erreur=str(exc)
        )


def _contexte(rdv, jeton=None):
    from django.urls import reverse

    return {
        "rdv": rdv,
        "site": settings.SITE_URL,
        "ars": settings.ARS_NOM,
        "portail": settings.PORTAIL_NOM,
        "lien_gestion": f"{settings.SITE_URL}{reverse('rendezvous:gerer', args=[jeton])}"
        if jeton
        else "",
    }


def notifier_reservation(rdv: RendezVous, jeton: str) -> None:
    _envoyer(rdv, type_=Notification.Type.CONFIRMATION, destinataire=rdv.courriel,
             gabarit="rendezvous_confirmation", contexte=_contexte(rdv, jeton),
             methode_ics="REQUEST")  # fmt: skip
    _envoyer(rdv, type_=Notification.Type.REFERENT,
             destinataire=rdv.referent.utilisateur.email, gabarit="rendezvous_referent",
             contexte=_contexte(rdv), methode_ics="REQUEST")  # fmt: skip


def notifier_annulation(rdv: RendezVous) -> None:
    for destinataire in (rdv.courriel, rdv.referent.utilisateur.email):
        _envoyer(rdv, type_=Notification.Type.ANNULATION, destinataire=destinataire,
                 gabarit="rendezvous_annulation", contexte=_contexte(rdv),
                 methode_ics="CANCEL")  # fmt: skip


def envoyer_rappels(*, maintenant=None) -> int:
    """Remind tomorrow's meetings, once each; safe to run every 15 minutes."""
    maintenant = maintenant or timezone.now()
    envoyes = 0
    while True:
        with transaction.atomic():
            rdv = (
                RendezVous.objects.filter(
                    statut=RendezVous.Statut.CONFIRME,
                    rappel_envoye_le__isnull=True,
                    debut__gt=maintenant,
                    debut__lte=maintenant + datetime.timedelta(hours=24),
                )
                .select_for_update(skip_locked=True)
                .select_related("motif", "lieu__departement__region", "referent__utilisateur")
                .order_by("debut")
                .first()
            )
            if rdv is None:
                return envoyes
            rdv.rappel_envoye_le = maintenant
            rdv.save(update_fields=["rappel_envoye_le"])
            _envoyer(rdv, type_=Notification.Type.RAPPEL, destinataire=rdv.courriel,
                     gabarit="rendezvous_rappel", contexte=_contexte(rdv))  # fmt: skip
            envoyes += 1


def purger_rendezvous(*, mois: int = 12, maintenant=None) -> int:
    """Anonymise meetings that ended more than ``mois`` months ago; counts stay for statistics."""
    maintenant = maintenant or timezone.now()
    limite = maintenant - datetime.timedelta(days=30 * mois)
    with transaction.atomic():
        qs = RendezVous.objects.filter(fin__lt=limite, anonymise_le__isnull=True)
        ids = list(qs.values_list("pk", flat=True))
        qs.update(
            nom="(anonymisé)",
            courriel=_courriel_anonyme(),
            telephone="",
            message="",
            utilisateur=None,
            jeton_empreinte="",
            anonymise_le=maintenant,
        )
        Notification.objects.filter(rendezvous__in=ids).update(destinataire="(anonymisé)")
    return len(ids)


def _courriel_anonyme():
    # Unique per row so the partial unique constraint never collides on old meetings.
    return Concat(
        Value("anonyme-"), Cast("uuid", TextField()), Value("@invalid"), output_field=TextField()
    )
