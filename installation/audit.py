"""What the installation app traces in the audit trail (see guichet.audit)."""

from guichet.audit import tracer
from installation.models import (
    Actualite,
    Contact,
    Document,
    Etape,
    Evenement,
    Parcours,
    Plan,
    Structure,
    SuiviEtape,
)

tracer(Parcours)
tracer(Etape, m2m=["aides"])
tracer(Contact)
tracer(Document, m2m=["parcours", "etapes", "aides"])
tracer(Evenement)
tracer(Actualite)
tracer(Structure)
tracer(Plan, masques=["commune"])
tracer(SuiviEtape, masques=["note", "date"])
