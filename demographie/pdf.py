"""The annual bulletin as a tagged PDF (WeasyPrint, PDF/UA-1), through guichet.pdf."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from guichet.pdf import BASE_URL, fetcher, html_vers_pdf  # noqa: F401 - BASE_URL for callers


def logo_ars() -> str:
    """The URL of the issuing ARS's logo (``ARS_LOGO``: a static file or a /media/ path)."""
    logo = settings.ARS_LOGO
    if not logo:
        return ""
    # The static prefix, not the hashed name: the PDF fetcher reads through the finders.
    return logo if logo.startswith(settings.MEDIA_URL) else settings.STATIC_URL + logo


def rendre_html(rapport, *, bulletin=None, request=None) -> str:
    return render_to_string(
        "demographie/bulletin.html",
        {
            "rapport": rapport,
            "bulletin": bulletin,
            "genere_le": timezone.localtime(),
            "PORTAIL_NOM": settings.PORTAIL_NOM,
            "ARS_NOM": settings.ARS_NOM,
            "ARS_LOGO": logo_ars(),
        },
    )


def rendre_pdf(rapport, *, bulletin=None) -> bytes:
    """The bulletin's PDF bytes (tagged PDF/UA-1, Marianne embedded)."""
    return html_vers_pdf(rendre_html(rapport, bulletin=bulletin))
