"""Which referents a staff user may see: their own, or all of their territory for admins."""

from django.db.models import Q

from guichet import scoping
from rendezvous.models import Referent


def referents_visibles(user):
    qs = Referent.objects.select_related("utilisateur")
    if scoping.est_national(user):
        return qs
    dans_perimetre = scoping.filtrer_perimetre(
        Referent.objects.all(), user, region_path="departements__region",
        departement_path="departements",
    ).values("pk")  # fmt: skip
    return qs.filter(Q(pk__in=dans_perimetre) | Q(utilisateur=user))
