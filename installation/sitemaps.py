"""The installation part of sitemap.xml: published parcours, their national steps, events."""

from django.urls import reverse

from guichet.sitemaps import SitemapDuPortail, pages, section
from installation.models import Etape, Evenement, Parcours

pages("installation:accueil", "installation:contacts", "installation:documents", "agenda:accueil")


@section("etapes")
class Etapes(SitemapDuPortail):
    """Each published parcours, then its steps. A local step (a region's or a département's)
    needs its département in the address: only national steps are listed."""

    changefreq = "monthly"

    def items(self):
        publies = Parcours.objects.publies()
        slugs = publies.order_by("slug").values_list("slug", flat=True)
        parcours = [(slug, None) for slug in slugs]
        etapes = (
            Etape.objects.nationaux()
            .filter(parcours__in=publies)
            .order_by("parcours__slug", "ordre", "slug")
            .values_list("parcours__slug", "slug")
        )
        return parcours + list(etapes)

    def location(self, item):
        parcours, etape = item
        if etape is None:
            return reverse("installation:parcours", args=[parcours])
        return reverse("installation:etape", args=[parcours, etape])


@section("agenda")
class Evenements(SitemapDuPortail):
    changefreq = "weekly"

    def items(self):
        return Evenement.objects.publies().order_by("pk").values_list("pk", flat=True)

    def location(self, item):
        return reverse("agenda:evenement", args=[item])
