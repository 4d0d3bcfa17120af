"""What the staff space traces in the audit trail (see guichet.audit)."""

from espace.models import Accompagnement, ChangementEtape, MessageQuestion, Question
from guichet.audit import non_trace, tracer

tracer(
    Question,
    masques=["message", "courriel", "utilisateur", "commune"],
)
tracer(MessageQuestion, masques=["texte"])
tracer(
    Accompagnement,
    masques=["nom", "courriel", "telephone", "utilisateur", "notes", "plan"],
    m2m=["aides"],
)
tracer(ChangementEtape)
non_trace("espace.CompteurJournalier", "compteur anonyme incrémenté à chaque consultation")
non_trace(
    "espace.AvertissementInactivite",
    "trace technique de la purge RGPD (date d'envoi de l'avertissement)",
)
