"""The demography part of sitemap.xml: France, each region and each département (a commune's
figures are on its commune page, listed in the communes' section)."""

from django.urls import reverse

from guichet.models import Departement, Region
from guichet.sitemaps import SitemapDuPortail, pages, section

pages("demographie:accueil", "demographie:bulletins")


@section("demographie")
class Territoires(SitemapDuPortail):
    changefreq = "monthly"

    def items(self):
        regions = Region.objects.order_by("code").values_list("code", flat=True)
        departements = Departement.objects.order_by("code").values_list("code", flat=True)
        return (
            [("france", "FR")]
            + [("region", c) for c in regions]
            + [("departement", c) for c in departements]
        )

    def location(self, item):
        niveau, code = item
        if niveau == "france":
            return reverse("demographie:territoire")
        return reverse("demographie:territoire", kwargs={"niveau": niveau, "code": code})
