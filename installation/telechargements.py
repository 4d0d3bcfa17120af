"""Downloads: one document as an attachment, or a whole parcours' documents as a ZIP streamed
while it is built (nothing held in memory or written to disk)."""

import zipfile

from django.http import FileResponse, StreamingHttpResponse

TAILLE_BLOC = 64 * 1024


def reponse_document(document) -> FileResponse:
    response = FileResponse(
        document.fichier.open("rb"),
        as_attachment=True,
        filename=document.nom_fichier,
        content_type=document.type_mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class _Tampon:
    """A write-only file: zipfile writes into it, the generator empties it."""

    def __init__(self):
        self.morceaux: list[bytes] = []

    def write(self, donnees):
        self.morceaux.append(bytes(donnees))
        return len(donnees)

    def flush(self):
        pass

    def vider(self) -> bytes:
        donnees = b"".join(self.morceaux)
        self.morceaux.clear()
        return donnees


def flux_zip(documents):
    """Yield the bytes of a ZIP of the documents, file by file, block by block."""
    tampon = _Tampon()
    noms_pris: set[str] = set()
    with zipfile.ZipFile(tampon, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            nom = _nom_unique(document.nom_fichier, noms_pris)
            info = zipfile.ZipInfo(nom, date_time=document.date.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with document.fichier.open("rb") as source, archive.open(info, mode="w") as cible:
                for bloc in iter(lambda: source.read(TAILLE_BLOC), b""):  # noqa: B023
                    cible.write(bloc)
                    yield tampon.vider()
            yield tampon.vider()
    yield tampon.vider()


def _nom_unique(nom: str, pris: set[str]) -> str:
    base, point, extension = nom.rpartition(".")
    candidat, n = nom, 2
    while candidat in pris:
        candidat = f"{base}-{n}{point}{extension}"
        n += 1
    pris.add(candidat)
    return candidat


def reponse_zip(documents, nom: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(flux_zip(documents), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
