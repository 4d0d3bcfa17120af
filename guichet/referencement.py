"""What makes the portal discoverable like a public service: sitemap.xml (sections registered
by the apps, guichet/sitemaps.py), robots.txt, /.well-known/security.txt (RFC 9116) and
/favicon.ico."""

import datetime

from django.conf import settings
from django.contrib.sitemaps import views as sitemaps_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from guichet.sitemaps import SECTIONS

UN_JOUR = 86400


@require_GET
@cache_control(public=True, max_age=3600)
@sitemaps_views.x_robots_tag
def sitemap_index(request):
    """Django's index, with SITE_URL for the host (its own takes the Site's domain, which
    follows SITE_URL only as of the last migrate)."""
    entrees = []
    for nom, classe in SECTIONS.items():
        section = classe()
        adresse = settings.SITE_URL + reverse("sitemap_section", kwargs={"section": nom})
        dernier = section.get_latest_lastmod()
        entrees.append(SitemapIndexItem(adresse, dernier))
        entrees += [
            SitemapIndexItem(f"{adresse}?p={page}", dernier)
            for page in range(2, section.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entrees}, content_type="application/xml"
    )


@require_GET
@cache_control(public=True, max_age=3600)
def sitemap_section(request, section):
    return sitemaps_views.sitemap(request, SECTIONS, section=section)


def _dossier(nom: str, *args) -> str:
    """The folder of a URL: "/rendez-vous/gerer/" for "/rendez-vous/gerer/<jeton>/"."""
    return reverse(nom, args=args).rstrip("/").rsplit("/", 1)[0] + "/"


def zones_privees() -> list[str]:
    """Paths robots are asked to leave alone: administration, staff space, accounts,
    personal pages (plans, appointments), search results and forms' targets."""
    return [
        "/" + settings.ADMIN_URL,
        reverse("espace:tableau_de_bord"),
        _dossier("account_login"),
        reverse("guichet:mon_compte"),
        reverse("installation:mon_plan"),
        reverse("rendezvous:agenda"),
        _dossier("rendezvous:gerer", "x"),
        _dossier("rendezvous:confirmation", "00000000-0000-0000-0000-000000000000"),
        reverse("guichet:recherche"),
        reverse("aides:simulation_enregistrer"),
        reverse("question:envoyee"),
    ]


@require_GET
@cache_control(public=True, max_age=UN_JOUR)
def robots_txt(request):
    # Disallow lines first: RFC 9309 takes the longest match, older parsers the first one.
    lignes = ["User-agent: *", *(f"Disallow: {chemin}" for chemin in zones_privees())]
    lignes += ["Allow: /", "", f"Sitemap: {settings.SITE_URL}{reverse('sitemap_index')}", ""]
    return HttpResponse("\n".join(lignes), content_type="text/plain; charset=utf-8")


def contact_securite() -> str:
    """SECURITE_CONTACT as an RFC 9116 URI: an e-mail address becomes ``mailto:``."""
    contact = settings.SECURITE_CONTACT.strip()
    if contact and ":" not in contact and "@" in contact:
        return f"mailto:{contact}"
    return contact


@require_GET
@cache_control(public=True, max_age=UN_JOUR)
def security_txt(request):
    """RFC 9116. Without SECURITE_CONTACT there is nobody to write to: 404, not a guess."""
    contact = contact_securite()
    if not contact:
        raise Http404
    expire = (timezone.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    lignes = [
        f"Contact: {contact}",
        f"Expires: {expire.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr",
        f"Canonical: {settings.SITE_URL}{reverse('security_txt')}",
        "",
    ]
    return HttpResponse("\n".join(lignes), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=UN_JOUR)
def favicon(request):
    """The DSFR favicon the pages already declare, for clients that ask /favicon.ico.
    A temporary redirect: the static file's hashed name changes with the DSFR version."""
    return HttpResponseRedirect(static("dsfr/dist/favicon/favicon.ico"))
