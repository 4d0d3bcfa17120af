"""What a downloadable document may be: its format is read from its content, not its name.

Office files are ZIP archives: an OpenDocument text declares itself in its ``mimetype`` entry,
an Office Open XML file in ``[Content_Types].xml``.
"""

import io
import re
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
                mimetype = _lire_borne(archive, archive.getinfo("mimetype"), 200).strip()
                return "odt" if mimetype == FORMATS["odt"]["mime"].encode() else None
            if "[Content_Types].xml" in noms:
                info = archive.getinfo("[Content_Types].xml")
                types = _lire_borne(archive, info, 200_000).decode("utf-8", "replace")
                if "macroenabled" in types.lower():
                    return None
                for format_, marqueur in _OOXML.items():
                    if marqueur in types:
                        return format_
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return None
    return None


def _lire_borne(archive, info, limite: int) -> bytes:
    """At most ``limite`` decompressed bytes of a member: never the whole of a bomb."""
    with archive.open(info) as membre:
        return membre.read(limite)


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
    """Refuse a file that is too big, of a format not allowed, or whose name lies about it.

    The whole file must then parse as its format (``inspecter``): a PDF read by pypdf, an image
    decoded by Pillow, an office file whose members decompress within bounds, without macros.
    """
    if fichier.size > TAILLE_MAX:
        raise ValidationError(
            "Le fichier dépasse %(max)s Mo.", code="trop_gros", params={"max": TAILLE_MAX >> 20}
        )
    if Path(fichier.name or "").suffix.lower() in EXTENSIONS_MACROS:
        raise ValidationError(MESSAGE_MACROS, code="macros")
    format_ = detecter_format(fichier)
    if format_ is None:
        if _contient_macros(fichier):
            raise ValidationError(MESSAGE_MACROS, code="macros")
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
    try:
        inspecter(fichier, format_)
    finally:
        fichier.seek(0)


# -- the whole file must be what it claims to be

MESSAGE_MACROS = "Les documents contenant des macros ne sont pas acceptés : enregistrez-le sans."
EXTENSIONS_MACROS = (".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppsm")
MEMBRES_MACROS = ("vbaproject.bin", "vbadata.xml", "basic/", "scripts/")
# Office members: how much may be decompressed, and how much bigger than compressed.
DECOMPRESSE_MAX_MEMBRE = 50 * 1024 * 1024
DECOMPRESSE_MAX_TOTAL = 100 * 1024 * 1024
RATIO_MAX = 100
MEMBRES_MAX = 2000
PIXELS_MAX = 40_000_000
MARQUEURS_HTML = (b"<html", b"<!doctype", b"<script", b"<svg", b"<body", b"<iframe", b"<head")


def _refus(message: str, code: str = "contenu") -> ValidationError:
    return ValidationError(message, code=code)


def _ressemble_a_du_html(octets: bytes) -> bool:
    bas = octets.lower()
    return any(marqueur in bas for marqueur in MARQUEURS_HTML)


def inspecter(fichier, format_: str) -> None:
    fichier.seek(0)
    if format_ in ("docx", "xlsx", "odt"):
        _inspecter_archive(fichier)
    elif format_ == "pdf":
        _inspecter_pdf(fichier)
    elif format_ in ("png", "jpeg"):
        _inspecter_image(fichier, format_)
    elif format_ == "csv":
        _inspecter_csv(fichier)


def _contient_macros(fichier) -> bool:
    if Path(fichier.name or "").suffix.lower() in EXTENSIONS_MACROS:
        return True
    fichier.seek(0)
    try:
        with zipfile.ZipFile(fichier) as archive:
            if _noms_avec_macros(archive.namelist()):
                return True
            if "[Content_Types].xml" in archive.namelist():
                info = archive.getinfo("[Content_Types].xml")
                return b"macroenabled" in _lire_borne(archive, info, 200_000).lower()
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False
    finally:
        fichier.seek(0)
    return False


def _noms_avec_macros(noms) -> bool:
    return any(
        nom.lower().endswith(MEMBRES_MACROS[:2]) or nom.lower().startswith(MEMBRES_MACROS[2:])
        for nom in noms
    )


def _inspecter_archive(fichier) -> None:
    """Decompress every member by streaming, within bounds: a zip bomb is stopped early."""
    bombe = _refus(
        "Ce document se décompresse en un volume anormal (archive piégée) : il est refusé.",
        "bombe",
    )
    try:
        with zipfile.ZipFile(fichier) as archive:
            infos = archive.infolist()
            if len(infos) > MEMBRES_MAX:
                raise bombe
            if _noms_avec_macros(info.filename for info in infos):
                raise _refus(MESSAGE_MACROS, "macros")
            total = 0
            for info in infos:
                if info.file_size > DECOMPRESSE_MAX_MEMBRE:
                    raise bombe
                plafond = min(DECOMPRESSE_MAX_MEMBRE, RATIO_MAX * info.compress_size + 65536)
                lu = 0
                with archive.open(info) as membre:
                    while morceau := membre.read(65536):
                        lu += len(morceau)
                        total += len(morceau)
                        if lu > plafond or total > DECOMPRESSE_MAX_TOTAL:
                            raise bombe
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError) as exc:
        raise _refus("Ce document est endommagé ou illisible.") from exc


def _inspecter_pdf(fichier) -> None:
    import pypdf
    from pypdf.errors import PyPdfError

    illisible = _refus("Ce PDF est endommagé ou n'est pas un vrai PDF.")
    fichier.seek(0)
    debut = fichier.read(1024)
    fichier.seek(max(0, fichier.size - 2048))
    fin = fichier.read()
    fichier.seek(0)
    apres_eof = fin.rsplit(b"%%EOF", 1)
    if len(apres_eof) != 2 or apres_eof[1].strip() or _ressemble_a_du_html(debut):
        raise illisible  # something else hides before or after the PDF (a polyglot)
    try:
        lecteur = pypdf.PdfReader(fichier, strict=False)
        if lecteur.is_encrypted:
            raise _refus("Les PDF protégés par un mot de passe ne sont pas acceptés.")
        _ = len(lecteur.pages)
        actif = _contenu_actif_pdf(lecteur.trailer["/Root"])
    except ValidationError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, OSError, RecursionError) as exc:
        raise illisible from exc
    if actif or _ACTIF_PDF_BRUT.search(debut + fin):
        raise _refus(MESSAGE_PDF_ACTIF, "pdf_actif")


MESSAGE_PDF_ACTIF = (
    "Ce PDF contient des éléments actifs (JavaScript, action automatique à l'ouverture, "
    "lancement d'un programme, envoi de formulaire ou fichier joint) : il est refusé. "
    "Imprimez-le de nouveau en PDF (« Enregistrer au format PDF ») pour n'en garder que le texte."
)
# Keys whose mere presence makes a PDF act on its own, and action types (/S) refused anywhere.
CLES_PDF_ACTIVES = frozenset({"/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile",
                              "/RichMedia", "/XFA", "/Launch"})  # fmt: skip
ACTIONS_PDF_ACTIVES = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE",
                                 "/GoToR", "/RichMediaExecute", "/Rendition", "/Movie",
                                 "/Sound"})  # fmt: skip
OBJETS_PDF_MAX = 500_000
# The same names in the raw bytes of the first and last kilobytes (an uncompressed trailer or
# catalogue), as a second net; the structure walk sees through names escaped with #xx.
_ACTIF_PDF_BRUT = re.compile(rb"/(?:AA|JavaScript|JS|Launch|EmbeddedFiles)(?![A-Za-z0-9])")


def _contenu_actif_pdf(racine) -> bool:
    """Walk every object reachable from the catalogue (pypdf resolves streams, escaped names
    and object streams); True at the first active part. /OpenAction is allowed only as a view
    destination (an array, or a /GoTo action), which office suites write."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    a_voir, vus, comptes = [racine], set(), 0
    while a_voir:
        objet = a_voir.pop()
        if isinstance(objet, IndirectObject):
            if (objet.idnum, objet.generation) in vus:
                continue
            vus.add((objet.idnum, objet.generation))
            objet = objet.get_object()
        comptes += 1
        if comptes > OBJETS_PDF_MAX:
            return True  # a structure that large is not a document we want to walk
        if isinstance(objet, DictionaryObject):
            if CLES_PDF_ACTIVES & set(objet.keys()):
                return True
            if objet.get("/S") in ACTIONS_PDF_ACTIVES:
                return True
            ouverture = objet.get("/OpenAction")
            if ouverture is not None:
                ouverture = ouverture.get_object()
                if not isinstance(ouverture, ArrayObject) and ouverture.get("/S") != "/GoTo":
                    return True
            a_voir.extend(v for k, v in objet.items() if k != "/Parent")
        elif isinstance(objet, ArrayObject):
            a_voir.extend(objet)
    return False


def _inspecter_image(fichier, format_: str) -> None:
    import warnings

    from PIL import Image, UnidentifiedImageError

    illisible = _refus("Cette image est endommagée ou n'est pas une vraie image.")
    fichier.seek(0)
    contenu = fichier.read()
    if _ressemble_a_du_html(contenu):
        raise illisible
    if format_ == "png":
        fin = contenu.rfind(b"IEND")
        if fin < 0 or contenu[fin + 8 :].strip():  # IEND + CRC, then nothing
            raise illisible
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(contenu)) as image:
                if image.format != {"png": "PNG", "jpeg": "JPEG"}[format_]:
                    raise illisible
                if image.width * image.height > PIXELS_MAX:
                    raise illisible
                image.verify()
            with Image.open(io.BytesIO(contenu)) as image:
                image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise illisible from exc


def _inspecter_csv(fichier) -> None:
    fichier.seek(0)
    contenu = fichier.read()
    if b"\x00" in contenu or _ressemble_a_du_html(contenu[:4096]):
        raise _refus("Ce fichier CSV contient des caractères ou du code non autorisés.")
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            texte = contenu.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _refus("Ce fichier CSV n'est ni en UTF-8 ni en Windows-1252.") from exc
    if any(c < " " and c not in _CONTROLES_PERMIS for c in texte):
        raise _refus("Ce fichier CSV contient des caractères de contrôle non autorisés.")
    _refuser_les_formules(texte)


# A cell a spreadsheet would run as a formula (CSV injection); a plain signed number is data.
DEBUTS_FORMULE = ("=", "+", "-", "@", "\t", "\r")
_NOMBRE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def _refuser_les_formules(texte: str) -> None:
    """Refuse (rather than silently rewrite) a CSV with a cell starting like a formula, naming
    the first one: the team fixes the file, and what is offered is exactly what was checked."""
    import csv

    premiere = texte.split("\n", 1)[0]
    separateur = max(";,\t", key=premiere.count)
    try:
        for numero, ligne in enumerate(csv.reader(io.StringIO(texte), delimiter=separateur), 1):
            for colonne, cellule in enumerate(ligne, 1):
                debut = cellule.lstrip(" ")
                if debut.startswith(DEBUTS_FORMULE) and not _NOMBRE.fullmatch(debut.strip()):
                    raise _refus(
                        f"Ligne {numero}, colonne {colonne} : la cellule « {cellule[:40]} » "
                        "commence par =, +, -, @, une tabulation ou un retour chariot ; un "
                        "tableur l'exécuterait comme une formule. Le fichier est refusé : "
                        "retirez ce caractère ou faites-le précéder d'une apostrophe (').",
                        "formule",
                    )
    except csv.Error as exc:
        raise _refus(f"Ce fichier CSV est mal formé : {exc}.") from exc
