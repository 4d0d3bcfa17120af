"""Hostile uploads: zip bombs, polyglots, macros; the whole file must be what it claims."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from installation.fichiers import valider_fichier
from tests.installation.factories import DOCX, JPEG, PDF, PNG, zip_de

TYPES_DOCX = (
    b'<Types><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)


def bombe_docx(decompresse: int = 400 * 1024 * 1024) -> bytes:
    """A .docx whose document.xml inflates from ~400 KB to ``decompresse`` bytes."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", TYPES_DOCX)
        with zf.open("word/document.xml", "w", force_zip64=True) as membre:
            bloc = b"\0" * (1024 * 1024)
            for _ in range(decompresse // len(bloc)):
                membre.write(bloc)
    return tampon.getvalue()


def _refus(nom, contenu) -> str:
    with pytest.raises(ValidationError) as erreur:
        valider_fichier(SimpleUploadedFile(nom, contenu))
    return erreur.value.code


def test_bombe_zip_refusee_sans_tout_decompresser():
    bombe = bombe_docx()
    assert len(bombe) < 600 * 1024  # the bomb was 408 KB
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as erreur:
            valider_fichier(SimpleUploadedFile("rapport.docx", bombe))
        _, pic = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert erreur.value.code == "bombe"
    assert "archive piégée" in erreur.value.messages[0]
    # The bomb itself is in memory once (SimpleUploadedFile); decompression adds almost nothing.
    assert pic < len(bombe) * 3 + 2 * 1024 * 1024


def test_membre_a_taille_declaree_enorme_refuse():
    # Declared size above the per-member bound: refused before reading anything.
    assert _refus("rapport.docx", bombe_docx(60 * 1024 * 1024)) == "bombe"


@pytest.mark.parametrize(
    ("nom", "contenu"),
    [
        ("page.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
        ("page.pdf", PDF + b"<html><script>alert(1)</script></html>"),
        ("page.pdf", PDF[:9] + b"<html><script>alert(1)</script></html>\n" + PDF[9:]),
        ("image.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
        ("image.png", PNG + b"<html><script>alert(1)</script></html>"),
        ("image.jpg", JPEG + b"<html><script>alert(1)</script></html>"),
        ("image.png", PNG[:40]),  # truncated
        ("image.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20),
    ],
)
def test_polyglottes_et_faux_fichiers_refuses(nom, contenu):
    assert _refus(nom, contenu) == "contenu"


@pytest.mark.parametrize(
    ("nom", "contenu"),
    [
        ("macro.docm", DOCX),
        ("macro.docx", zip_de({"[Content_Types].xml": TYPES_DOCX, "word/vbaProject.bin": b"x"})),
        (
            "macro.xlsx",
            zip_de(
                {
                    "[Content_Types].xml": b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                    "xl/workbook.xml": b"<workbook/>",
                }
            ),
        ),
        (
            "macro.odt",
            zip_de(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.text",
                    "Basic/Standard/Module1.xml": b"<script/>",
                }
            ),
        ),
    ],
)
def test_documents_a_macros_refuses(nom, contenu):
    assert _refus(nom, contenu) == "macros"


def test_documents_sains_acceptes():
    for nom, contenu in [("a.pdf", PDF), ("a.png", PNG), ("a.jpg", JPEG), ("a.docx", DOCX)]:
        valider_fichier(SimpleUploadedFile(nom, contenu))
