"""What the opportunities app traces in the audit trail (see guichet.audit)."""

from guichet.audit import tracer
from opportunites.models import MessageOpportunite, Opportunite

# The author is a person: the trail shows that the link changed, never who it is.
tracer(Opportunite, masques=["auteur"], exclus=["recherche"])
tracer(MessageOpportunite, masques=["expediteur", "texte", "reponse"])
