"""The commune page's section "Opportunités près de <commune>" (guichet.fiche_commune)."""

from urllib.parse import urlencode

from django.urls import reverse

from guichet import geo, grammaire
from guichet.fiche_commune import Section, section
from guichet.models import Commune
from opportunites.models import Opportunite

RAYON_KM = 30
NOMBRE = 5


def pres_de(commune: Commune, rayon_km: int = RAYON_KM):
    """Published posts within ``rayon_km`` of the commune, nearest first (the commune's own
    posts only when it has no position)."""
    qs = Opportunite.objects.publiees().select_related("commune")
    if not commune.situee:
        return qs.filter(commune=commune).order_by("-publiee_le")
    return geo.filtrer_rayon(
        qs, commune.latitude, commune.longitude, rayon_km, prefixe="commune__"
    ).order_by("distance_km", "-publiee_le")


@section
def section_opportunites(commune: Commune):
    # Read at each request (one indexed query): a post published a minute ago shows at once.
    return Section(
        25,
        f"Opportunités près {grammaire.de_commune(commune.nom)}",
        "opportunites/commune/_opportunites.html",
        {
            "annonces": list(pres_de(commune)[:NOMBRE]),
            "commune": commune,
            "rayon": RAYON_KM,
            "url_liste": reverse("opportunites:liste")
            + "?"
            + urlencode({"commune": commune.code, "rayon": RAYON_KM}),
            "url_publier": reverse("opportunites:publier"),
        },
        ancre="opportunites",
    )
