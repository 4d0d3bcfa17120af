"""Booking, cancelling and notifying meetings with the installation referent."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import vCalAddress, vText

from guichet import calendrier
from guichet.fuseaux import horaire
from rendezvous.creneaux import Creneau, creneaux_libres
from rendezvous.models import (
    Lieu,
    MotifRendezVous,
    Notification,
    Referent,
    RendezVous,
    TransitionRefusee,
)

__all__ = ["CreneauIndisponible", "ReservationsPlafonnees", "TransitionRefusee"]

logger = logging.getLogger(__name__)

MESSAGE_PRIS = "Ce créneau vient d'être réservé, choisissez-en un autre."


class ReservationsPlafonnees(Exception):
    """The e-mail already holds as many future meetings as allowed (agenda filling)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CreneauIndisponible(Exception):
    """The slot is no longer free (another booking won the race, or the rules changed)."""

    def __init__(self, message: str = MESSAGE_PRIS):
        super().__init__(message)
        self.message = message


def _creneau_encore_libre(departement, motif, referent, debut) -> Creneau:
    """The referent's slot starting at ``debut`` if it is still free, else CreneauIndisponible."""
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
    return creneau


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
    Raises CreneauIndisponible when the slot was taken meanwhile, ReservationsPlafonnees when
    the e-mail already holds its share of future meetings (``verifier_plafonds``).
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
            verifier_plafonds(
                referent=referent, courriel=demandeur["courriel"], utilisateur=utilisateur
            )
            creneau = _creneau_encore_libre(departement, motif, referent, debut)
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


def verifier_plafonds(*, referent: Referent, courriel: str, utilisateur=None) -> None:
    """Bound the future meetings one e-mail holds, so that nobody fills an agenda.

    At most ``RENDEZVOUS_MAX_PAR_COURRIEL`` future meetings per e-mail, one per referent
    (``RENDEZVOUS_MAX_PAR_REFERENT``). Anyone can type anyone's e-mail, so the meetings booked
    from the owner's own account (logged in with that address, hence verified) are counted
    apart from the others: a third party who books in someone's name fills only the "others"
    share, never the owner's — the owner logs in and books, or cancels the intruder's meetings
    with the links sent to their mailbox. Call inside the booking's transaction: a lock on the
    e-mail serialises its bookings across referents.
    """
    courriel = courriel.strip().lower()
    with connection.cursor() as curseur:
        curseur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"rdv-courriel:{courriel}"])
    titulaire = bool(
        utilisateur is not None
        and utilisateur.is_authenticated
        and utilisateur.email.strip().lower() == courriel
    )
    a_venir = RendezVous.objects.a_venir().filter(courriel__iexact=courriel)
    du_compte = Q(utilisateur__email__iexact=courriel)
    a_venir = a_venir.filter(du_compte) if titulaire else a_venir.exclude(du_compte)
    if a_venir.filter(referent=referent).count() >= settings.RENDEZVOUS_MAX_PAR_REFERENT:
        raise ReservationsPlafonnees(
            ("Vous avez" if titulaire else "Cette adresse électronique a")
            + " déjà un rendez-vous à venir avec ce référent : déplacez-le plutôt, avec le lien "
            "de son courriel de confirmation."
        )
    maximum = settings.RENDEZVOUS_MAX_PAR_COURRIEL
    if a_venir.count() >= maximum:
        if titulaire:
            raise ReservationsPlafonnees(
                f"Vous avez déjà {maximum} rendez-vous à venir : annulez-en un, avec le lien de "
                "son courriel de confirmation, pour en prendre un autre."
            )
        raise ReservationsPlafonnees(
            f"Cette adresse électronique a déjà {maximum} rendez-vous à venir. Pour en prendre "
            "un autre, annulez-en un avec le lien de son courriel de confirmation, ou "
            "connectez-vous avec un compte à cette adresse."
        )


def _transition(rdv: RendezVous, methode, *args, **kwargs) -> RendezVous:
    """Apply a model transition on the locked row; a stale tab or crafted POST gets a message."""
    try:
        with transaction.atomic():
            rdv = (
                RendezVous.objects.select_for_update(of=("self",))
                .select_related("motif", "lieu__departement__region", "referent__utilisateur")
                .get(pk=rdv.pk)
            )
            champs = getattr(rdv, methode)(*args, **kwargs)
            rdv.save(update_fields=champs)
    except IntegrityError as exc:
        raise TransitionRefusee(
            "Ce changement entre en conflit avec un autre rendez-vous sur ce créneau."
        ) from exc
    return rdv


def rendezvous_annuler(
    *, rdv: RendezVous, par_referent: bool = False, raison: str = "", maintenant=None
) -> RendezVous:
    """Cancel (the model checks state, time and deadline) and notify both sides."""
    if par_referent:
        rdv = _transition(rdv, "annuler_par_referent", raison, maintenant)
    else:
        rdv = _transition(rdv, "annuler_par_usager", maintenant)
    transaction.on_commit(lambda: notifier_annulation(rdv))
    return rdv


def rendezvous_changer_statut(*, rdv: RendezVous, statut: str, maintenant=None) -> RendezVous:
    """After the start, the referent records whether it took place."""
    methodes = {
        RendezVous.Statut.HONORE: "marquer_honore",
        RendezVous.Statut.ABSENT: "marquer_absent",
    }
    if statut not in methodes:
        raise TransitionRefusee("Choisissez « honoré » ou « absent ».")
    return _transition(rdv, methodes[statut], maintenant)


def rendezvous_deplacer(
    *, rdv: RendezVous, debut: datetime.datetime, par_usager: bool, maintenant=None
) -> RendezVous:
    """Move a meeting to another free slot of the same referent, atomically.

    The referent is locked as for a booking; the new slot is checked inside the lock, and the
    row is updated in place, so the old slot is freed only if the new one is taken (the
    exclusion constraint backs it up). Same UID, SEQUENCE + 1; both sides are told.
    """
    ancien_debut = rdv.debut
    try:
        with transaction.atomic():
            referent = Referent.objects.select_for_update().get(pk=rdv.referent_id)
            rdv = (
                RendezVous.objects.select_for_update(of=("self",))
                .select_related("motif", "lieu__departement__region", "referent__utilisateur")
                .get(pk=rdv.pk)
            )
            ancien_debut = rdv.debut
            if debut == rdv.debut:
                raise CreneauIndisponible("C'est déjà l'horaire de ce rendez-vous.")
            departement = rdv.lieu.departement
            jour = debut.astimezone(datetime.UTC).date()
            libres = creneaux_libres(
                departement=departement,
                motif=rdv.motif,
                referents=[referent],
                du=jour - datetime.timedelta(days=1),
                au=jour + datetime.timedelta(days=1),
                sauf=rdv.pk,
            )
            creneau = next((c for c in libres if c.debut == debut), None)
            if creneau is None:
                raise CreneauIndisponible()
            champs = rdv.deplacer(
                debut=creneau.debut,
                fin=creneau.fin,
                fin_bloquee=creneau.fin + datetime.timedelta(minutes=rdv.motif.tampon_minutes),
                lieu_id=creneau.lieu_id,
                par_usager=par_usager,
                maintenant=maintenant,
            )
            rdv.save(update_fields=champs)
            rdv.lieu = Lieu.objects.select_related("departement__region").get(pk=rdv.lieu_id)
    except IntegrityError as exc:
        raise CreneauIndisponible() from exc
    transaction.on_commit(lambda: notifier_deplacement(rdv, ancien_debut))
    return rdv


# -- notifications ---------------------------------------------------------------------------


def _evenement(rdv: RendezVous, *, resume: str, lieu: str):
    """The fields every calendar view of a meeting shares: stable UID and SEQUENCE."""
    return calendrier.evenement(
        str(rdv.uuid), sequence=rdv.sequence, debut=rdv.debut_local, fin=rdv.fin_local,
        resume=resume, lieu=lieu,
    )  # fmt: skip


def adresse_reponse(rdv: RendezVous) -> str:
    """Where replies go: a configured mailbox, else the referent (never the no-reply sender)."""
    return settings.RENDEZVOUS_REPONDRE_A or rdv.referent.utilisateur.email


def ics(rdv: RendezVous, *, methode: str) -> bytes:
    """The meeting as an iCalendar object: stable UID, SEQUENCE, METHOD REQUEST or CANCEL."""
    cal = calendrier.calendrier(method=methode)
    event = _evenement(
        rdv,
        resume=f"{rdv.motif.nom} avec {rdv.referent.le_referent}",
        lieu=rdv.lien_visio_effectif or rdv.lieu.adresse or rdv.lieu.get_type_display(),
    )
    event.add("description", _description_ics(rdv))
    if rdv.lien_visio_effectif:
        event.add("url", rdv.lien_visio_effectif)
    event.add("status", "CANCELLED" if methode == "CANCEL" else "CONFIRMED")
    organisateur = vCalAddress(f"mailto:{adresse_reponse(rdv)}")
    organisateur.params["cn"] = vText(f"{rdv.referent.nom} ({settings.ARS_NOM})")
    event.add("organizer", organisateur)
    participant = vCalAddress(f"mailto:{rdv.courriel}")
    participant.params["cn"] = vText(rdv.nom)
    participant.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", participant)
    cal.add_component(event)
    return calendrier.en_ics(cal)


def flux_referent(referent, rendezvous) -> bytes:
    """A referent's private feed: motif and first name only (minimal personal data)."""
    cal = calendrier.calendrier(x_wr_calname=f"Rendez-vous — {referent.nom}")
    for rdv in rendezvous:
        prenom = rdv.nom.split(" ")[0]
        cal.add_component(_evenement(rdv, resume=f"{rdv.motif.nom} — {prenom}", lieu=rdv.lieu.nom))
    return calendrier.en_ics(cal)


def _description_ics(rdv: RendezVous) -> str:
    lignes = [
        f"{rdv.referent.fonction[:1].upper()}{rdv.referent.fonction[1:]} : {rdv.referent.nom}",
        f"Lieu : {rdv.lieu.libelle}",
        f"Horaire : {rdv.horaire}",
    ]
    if rdv.lien_visio_effectif:
        lignes.append(f"Lien de visioconférence : {rdv.lien_visio_effectif}")
    if rdv.lieu.consignes:
        lignes.append(rdv.lieu.consignes)
    return "\n".join(lignes)


def _envoyer(rdv, *, type_, destinataire, gabarit, contexte, methode_ics=None):
    with timezone.override(rdv.fuseau):  # times as the clock shows them where the meeting is
        sujet = render_to_string(f"emails/{gabarit}_subject.txt", contexte).strip()
        corps = render_to_string(f"emails/{gabarit}_body.txt", contexte)
    message = EmailMultiAlternatives(
        sujet, corps, to=[destinataire], reply_to=[adresse_reponse(rdv)]
    )
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


def lien_absolu(chemin: str) -> str:
    """Links in e-mails are built from SITE_URL (never from a request's host)."""
    return f"{settings.SITE_URL}{chemin}"


def _contexte(rdv, jeton=None, **extra):
    from django.urls import NoReverseMatch, reverse

    try:
        reprendre = reverse("rendezvous:motifs", args=[rdv.lieu.departement_id])
    except NoReverseMatch:
        reprendre = reverse("rendezvous:accueil")
    return {
        "rdv": rdv,
        "site": settings.SITE_URL,
        "ars": settings.ARS_NOM,
        "portail": settings.PORTAIL_NOM,
        "repondre_a": adresse_reponse(rdv),
        "lien_gestion": lien_absolu(reverse("rendezvous:gerer", args=[jeton])) if jeton else "",
        "lien_reprendre": lien_absolu(reprendre),
        "lien_agenda": lien_absolu(reverse("rendezvous:agenda")),
        "pour_referent": False,
        **extra,
    }


def notifier_reservation(rdv: RendezVous, jeton: str) -> None:
    _envoyer(
        rdv,
        type_=Notification.Type.CONFIRMATION,
        destinataire=rdv.courriel,
        gabarit="rendezvous_confirmation",
        contexte=_contexte(rdv, jeton),
        methode_ics="REQUEST",
    )
    _envoyer(
        rdv,
        type_=Notification.Type.REFERENT,
        destinataire=rdv.referent.utilisateur.email,
        gabarit="rendezvous_referent",
        contexte=_contexte(rdv, pour_referent=True),
        methode_ics="REQUEST",
    )


def _aux_deux(rdv: RendezVous, *, type_, gabarit: str, methode_ics: str, **extra) -> None:
    """The person's copy (``gabarit``) and the referent's, written to them
    (``gabarit``_referent: names the person, says what the referent has to do)."""
    _envoyer(
        rdv,
        type_=type_,
        destinataire=rdv.courriel,
        gabarit=gabarit,
        contexte=_contexte(rdv, **extra),
        methode_ics=methode_ics,
    )
    _envoyer(
        rdv,
        type_=type_,
        destinataire=rdv.referent.utilisateur.email,
        gabarit=f"{gabarit}_referent",
        contexte=_contexte(rdv, pour_referent=True, **extra),
        methode_ics=methode_ics,
    )


def notifier_annulation(rdv: RendezVous) -> None:
    _aux_deux(
        rdv,
        type_=Notification.Type.ANNULATION,
        gabarit="rendezvous_annulation",
        methode_ics="CANCEL",
    )


def notifier_deplacement(rdv: RendezVous, ancien_debut: datetime.datetime) -> None:
    ancien = f"{horaire(ancien_debut, rdv.fuseau)} ({rdv.nom_fuseau})"
    _aux_deux(
        rdv,
        type_=Notification.Type.DEPLACEMENT,
        gabarit="rendezvous_deplacement",
        methode_ics="REQUEST",
        ancien_horaire=ancien,
    )


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
            _envoyer(
                rdv,
                type_=Notification.Type.RAPPEL,
                destinataire=rdv.courriel,
                gabarit="rendezvous_rappel",
                contexte=_contexte(rdv),
            )
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
