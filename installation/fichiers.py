"""What a downloadable document may be: its format is read from its content, not its name.

Office files are ZIP archives: an OpenDocument text declares itself in its ``mimetype`` entry,
an Office Open XML file in ``[Content_Types].xml``.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError

TAILLE_MAX = 20 * 1024 * 1024

FORMATS = {
    "pdf": {"libelle": "PDF", "mime": "application/pdf", "extensions": [".pdf"]},
    "odt": {
        "libelle": "Texte OpenDocument (ODT)",
        "mime": "application/vnd.oasis.opendocument.text",
        "extensions": [".odt"],
    },
    "docx": {
        "libelle": "Word (DOCX)",
        "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "extensions": [".docx"],
    },
    "xlsx": {
        "libelle": "Tableur Excel (XLSX)",
        "mime": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "extensions": [".xlsx"],
    },
    "csv": {"libelle": "Tableau CSV", "mime": "text/csv; charset=utf-8", "extensions": [".csv"]},
    "png": {"libelle": "Image PNG", "mime": "image/png", "extensions": [".png"]},
    "jpeg": {"libelle": "Image JPEG", "mime": "image/jpeg", "extensions": [".jpg", ".jpeg"]},
}

_OOXML = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_CONTROLES_PERMIS = {"\t", "\n", "\r"}


def detecter_format(fichier) -> str | None:
    """The format of an uploaded or stored file, read from its bytes; None if not allowed."""
    fichier.seek(0)
    debut = fichier.read(8192)
    fichier.seek(0)
    try:
        if debut.startswith(b"%PDF-"):
            return "pdf"
        if debut.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if debut.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if debut.startswith(b"PK\x03\x04"):
            return _format_zip(fichier)
        if _est_csv(debut):
            return "csv"
        return None
    finally:
        fichier.seek(0)


def _format_zip(fichier) -> str | None:
    try:
        with zipfile.ZipFile(fichier) as archive:
            noms = set(archive.namelist())
            if "mimetype" in noms:
                mimetype = archive.read("mimetype").strip()
                return "odt" if mimetype == FORMATS["odt"]["mime"].encode() else None
            if "[Content_Types].xml" in noms:
                types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
                for format_, marqueur in _OOXML.items():
                    if marqueur in types:
                        return format_
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def _est_csv(debut: bytes) -> bool:
    """Plain UTF-8 (or Windows-1252) text, with separators, that is not markup."""
    if b"\x00" in debut:
        return False
    try:
        texte = debut.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(debut) - 4:  # not a character cut by the 8 KB window
            try:
                texte = debut.decode("cp1252")
            except UnicodeDecodeError:
                return False
        else:
            texte = debut[: exc.start].decode("utf-8-sig")
    if any(c < " " and c not in _CONTROLES_PERMIS for c in texte):
        return False
    premiere = texte.lstrip().split("\n", 1)[0]
    if not premiere or premiere.startswith("<"):
        return False
    return any(separateur in premiere for separateur in ";,\t")


def valider_fichier(fichier) -> None:
    """Refuse a file that is too big, of a format not allowed, or whose name lies about it."""
    if fichier.size > TAILLE_MAX:
        raise ValidationError(
            "Le fichier dépasse %(max)s Mo.", code="trop_gros", params={"max": TAILLE_MAX >> 20}
        )
    format_ = detecter_format(fichier)
    if format_ is None:
        raise ValidationError(
            "Ce type de fichier n'est pas accepté : PDF, ODT, DOCX, XLSX, CSV, PNG ou JPEG "
            "uniquement.",
            code="format",
        )
    extension = Path(fichier.name or "").suffix.lower()
    if extension not in FORMATS[format_]["extensions"]:
        raise ValidationError(
            "Le contenu du fichier (%(format)s) ne correspond pas à son extension « %(ext)s ».",
            code="extension",
            params={"format": FORMATS[format_]["libelle"], "ext": extension or "aucune"},
        )
