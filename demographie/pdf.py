"""The annual bulletin as a tagged PDF (WeasyPrint, PDF/UA-1).

WeasyPrint may only read the project's own static and media files: every other URL (network,
``file:``, ``data:`` aside) is refused by the URL fetcher.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

BASE_URL = "https://guichet.invalid/"  # never fetched: only resolves relative URLs

# WeasyPrint logs every layout step at INFO: keep the server logs readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FichiersDuProjet(URLFetcher):
        """Serve /static/… through the staticfiles finders and /media/… from MEDIA_ROOT."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parties = urlsplit(url)
            if f"{parties.scheme}://{parties.netloc}/" != BASE_URL:
                raise ValueError(f"Ressource externe refusée : {url}")
            chemin = unquote(parties.path)
            if ".." in Path(chemin).parts:
                raise ValueError(f"Chemin refusé : {url}")
            fichier = None
            if chemin.startswith(settings.STATIC_URL):
                fichier = finders.find(chemin.removeprefix(settings.STATIC_URL))
            elif chemin.startswith(settings.MEDIA_URL):
                nom = chemin.removeprefix(settings.MEDIA_URL)
                if default_storage.exists(nom):
                    fichier = default_storage.path(nom)
            if not fichier:
                raise ValueError(f"Fichier introuvable ou refusé : {url}")
            type_mime = mimetypes.guess_type(fichier)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=Path(fichier).read_bytes(), headers={"Content-Type": type_mime}
            )

    return FichiersDuProjet


def rendre_html(rapport, *, bulletin=None, request=None) -> str:
    return render_to_string(
        "demographie/bulletin.html",
        {
            "rapport": rapport,
            "bulletin": bulletin,
            "genere_le": timezone.localtime(),
            "PORTAIL_NOM": settings.PORTAIL_NOM,
            "ARS_NOM": settings.ARS_NOM,
        },
    )


def rendre_pdf(rapport, *, bulletin=None) -> bytes:
    """The bulletin's PDF bytes (tagged PDF/UA-1, Marianne embedded)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = rendre_html(rapport, bulletin=bulletin)
    fetcher = _fetcher_class()(allowed_protocols={"https", "data"}, allow_redirects=False)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(
        font_config=FontConfiguration(), pdf_variant="pdf/ua-1", optimize_images=True
    )
