"""HTML to tagged PDF (WeasyPrint, PDF/UA-1) for any app: the printable pages extend
``layout/base_printable.html``.

WeasyPrint may only read the project's own static and media files: every other URL (network,
``file:``, a path with ``..``) is refused by the URL fetcher, so nothing typed by a user can make
it fetch anything else.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage

BASE_URL = "https://guichet.invalid/"  # never fetched: only resolves relative URLs


def fetcher():
    """The URL fetcher: /static/… through the staticfiles finders, /media/… from storage."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FichiersDuProjet(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parties = urlsplit(url)
            if f"{parties.scheme}://{parties.netloc}/" != BASE_URL:
                raise ValueError(f"Ressource externe refusée : {url}")
            chemin = unquote(parties.path)
            if ".." in Path(chemin).parts:
                raise ValueError(f"Chemin refusé : {url}")
            contenu = None
            if chemin.startswith(settings.STATIC_URL):
                fichier = finders.find(chemin.removeprefix(settings.STATIC_URL))
                contenu = Path(fichier).read_bytes() if fichier else None
            elif chemin.startswith(settings.MEDIA_URL):
                # Through the storage API (local or object storage), never a local path.
                nom = chemin.removeprefix(settings.MEDIA_URL)
                if default_storage.exists(nom):
                    with default_storage.open(nom, "rb") as f:
                        contenu = f.read()
            if contenu is None:
                raise ValueError(f"Fichier introuvable ou refusé : {url}")
            type_mime = mimetypes.guess_type(chemin)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=contenu, headers={"Content-Type": type_mime})

    return FichiersDuProjet(allowed_protocols={"https", "data"}, allow_redirects=False)


def html_vers_pdf(html: str) -> bytes:
    """The PDF bytes of a printable page (tagged PDF/UA-1, Marianne embedded)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher())
    return document.write_pdf(
        font_config=FontConfiguration(), pdf_variant="pdf/ua-1", optimize_images=True
    )
