"""The aids' part of sitemap.xml: the catalogue, the simulator and every published aid."""

from django.urls import reverse

from aides.models import Aide
from guichet.sitemaps import SitemapDuPortail, pages, section

pages("aides:liste", "aides:simulateur")


@section("aides")
class Aides(SitemapDuPortail):
    changefreq = "weekly"

    def items(self):
        return Aide.objects.publiees().order_by("slug").values_list("slug", "modifie_le")

    def location(self, item):
        return reverse("aides:detail", args=[item[0]])

    def lastmod(self, item):
        return item[1]
