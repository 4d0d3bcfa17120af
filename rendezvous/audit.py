"""What the booking app traces in the audit trail (see guichet.audit)."""

from guichet.audit import tracer

PERSONNEL_RENDEZVOUS = ["nom", "courriel", "telephone", "message", "commune", "utilisateur"]


def enregistrer():
    from rendezvous.models import (
        Absence,
        Lieu,
        MotifRendezVous,
        Notification,
        PlageOuverture,
        Referent,
        RendezVous,
    )

    tracer(Referent, m2m=["departements"], exclus=["jeton_agenda"])
    tracer(Lieu)
    tracer(MotifRendezVous)
    tracer(PlageOuverture, m2m=["motifs"])
    tracer(Absence)
    tracer(RendezVous, masques=PERSONNEL_RENDEZVOUS, exclus=["jeton_empreinte"])
    tracer(Notification, masques=["destinataire"], exclus=["erreur"])
