"""sitemap.xml: an index of sections, each app registering its own from its AppConfig.ready.

Every address is absolute and built from SITE_URL (never from the request's Host header).
Sections list only what an anonymous visitor can open: published content, pages without
parameters. Items are plain values (``values_list``): no model instance, no query per item.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

SECTIONS: dict[str, type[Sitemap]] = {}
PAGES: list[str] = []  # URL names of the public pages without parameters


def section(nom: str):
    """Register a Sitemap class under ``nom`` (``/sitemap-<nom>.xml``)."""

    def enregistrer(classe):
        SECTIONS[nom] = classe
        return classe

    return enregistrer


def pages(*noms: str):
    """Register public pages without parameters by URL name (``"aides:liste"``)."""
    PAGES.extend(n for n in noms if n not in PAGES)


class SitemapDuPortail(Sitemap):
    """Absolute addresses from SITE_URL: scheme and host of the configured public address."""

    limit = 5000  # per page of a section: the communes' section is paginated in the index

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        adresse = urlsplit(settings.SITE_URL)
        return adresse.netloc + adresse.path.rstrip("/")

    def _items(self):
        """A section with a ``lastmod`` reads its items once per request (the index's latest
        date and its page count from the same list; Django would COUNT them again). A section
        without one (the communes) is counted and sliced by the database."""
        if not hasattr(self, "lastmod"):
            return super()._items()
        if getattr(self, "_liste", None) is None:
            self._liste = list(super()._items())
        return self._liste

    def get_latest_lastmod(self):
        if not callable(getattr(self, "lastmod", None)):
            return super().get_latest_lastmod()
        try:  # as Django's: dates and None mixed give no latest date
            return max((self.lastmod(item) for item in self._items()), default=None)
        except TypeError:
            return None


@section("pages")
class Pages(SitemapDuPortail):
    changefreq = "weekly"

    def items(self):
        from guichet.models import PageEditoriale

        # A page made of an editorial text answers 404 until it is published: skip it (the
        # home page and the site map show without their introduction).
        cles = set(PageEditoriale.Cle.values) - {
            PageEditoriale.Cle.PLAN_DU_SITE,
            PageEditoriale.Cle.ACCUEIL,
        }
        cles -= set(PageEditoriale.objects.publies().values_list("cle", flat=True))
        absentes = {f"guichet:{cle.replace('-', '_')}" for cle in cles}
        return [nom for nom in ["guichet:accueil", *PAGES] if nom not in absentes]

    def location(self, item):
        return reverse(item)


@section("communes")
class Communes(SitemapDuPortail):
    """The 34,875 communes' pages: several pages of the index."""

    changefreq = "monthly"

    def items(self):
        from guichet.models import Commune

        return Commune.objects.order_by("code").values_list("code", flat=True)

    def location(self, item):
        return _prefixe_commune() + item + "/"


def _prefixe_commune() -> str:
    return reverse("guichet:commune", args=["0"])[:-2]


pages(
    "guichet:professionnels",
    "guichet:etudiants_internes",
    "guichet:elus_collectivites",
    "guichet:porteurs_de_projet",
    "guichet:plan_du_site",
    "guichet:accessibilite",
    "guichet:mentions_legales",
    "guichet:donnees_personnelles",
    "guichet:cookies",
)
