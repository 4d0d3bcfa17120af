"""What the opportunities app traces in the audit trail (see guichet.audit)."""

from guichet.audit import non_trace, tracer
from opportunites.models import Alerte, MessageOpportunite, Opportunite

# The author is a person: the trail shows that the link changed, never who it is.
tracer(Opportunite, masques=["auteur"], exclus=["recherche"])
tracer(MessageOpportunite, masques=["expediteur", "texte", "reponse"])
tracer(
    Alerte,
    masques=["utilisateur", "parametres", "commune"],
    exclus=["depuis", "prochain_envoi", "zonage_vu"],
)
non_trace(
    "opportunites.EnvoiAlertes",
    "the digest job's own record of what it sent (a log "
    "itself, written by the job, never by a person)",
)
