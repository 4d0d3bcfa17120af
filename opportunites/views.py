"""Public pages of the opportunities: list, detail, posting by signed-in users."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from guichet import scoping
from opportunites.models import Opportunite


def _visible(opportunite, user) -> bool:
    """Published posts for everyone; the others for their author and the territory's staff."""
    if opportunite.en_ligne:
        return True
    if user.is_authenticated and opportunite.auteur_id == user.pk:
        return True
    return scoping.contient(scoping.lecture, opportunite, user)


def detail(request, pk):
    opportunite = get_object_or_404(
        Opportunite.objects.select_related("commune__departement"), pk=pk
    )
    if not _visible(opportunite, request.user):
        raise Http404
    return render(request, "opportunites/detail.html", {"opportunite": opportunite})
