"""Which referents a staff user may see: their own, or all of their territory for admins."""

from guichet import scoping
from rendezvous.models import Referent, RendezVous


def referents_visibles(user):
    """Read from the Referent declaration (rendezvous/perimetres.py), like the admin."""
    return scoping.lecture(Referent.objects.select_related("utilisateur"), user)


def rendezvous_visibles(user):
    """Applicants' meetings a staff user may read (the RendezVous declaration)."""
    return scoping.lecture(RendezVous.objects.all(), user)
