"""HTML to tagged PDF (WeasyPrint, PDF/UA-1) for any app: the printable pages extend
``layout/base_printable.html``.

WeasyPrint may only read the project's own static files: every other URL (network, ``file:``,
media) is refused by the URL fetcher, so nothing typed by a user can make it fetch anything.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_URL = "https://guichet.invalid/"  # never fetched: only resolves relative URLs

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FichiersStatiques(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parties = urlsplit(url)
            if f"{parties.scheme}://{parties.netloc}/" != BASE_URL:
                raise ValueError(f"Ressource externe refusée : {url}")
            chemin = unquote(parties.path)
            fichier = None
            if chemin.startswith(settings.STATIC_URL):
                fichier = finders.find(chemin.removeprefix(settings.STATIC_URL))
            if not fichier:
                raise ValueError(f"Fichier introuvable ou refusé : {url}")
            type_mime = mimetypes.guess_type(fichier)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=Path(fichier).read_bytes(), headers={"Content-Type": type_mime}
            )

    return FichiersStatiques(allowed_protocols={"https", "data"}, allow_redirects=False)


def html_vers_pdf(html: str) -> bytes:
    """The PDF bytes of a printable page (tagged PDF/UA-1, Marianne embedded)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf(
        font_config=FontConfiguration(), pdf_variant="pdf/ua-1", optimize_images=True
    )
