"""The opportunities' part of sitemap.xml: the list and every published post."""

from django.urls import reverse

from guichet.sitemaps import SitemapDuPortail, pages, section
from opportunites.models import Opportunite

pages("opportunites:liste")


@section("opportunites")
class Opportunites(SitemapDuPortail):
    changefreq = "daily"

    def items(self):
        return Opportunite.objects.publiees().order_by("pk").values_list("pk", "publiee_le")

    def location(self, item):
        return reverse("opportunites:detail", args=[item[0]])

    def lastmod(self, item):
        return item[1]
