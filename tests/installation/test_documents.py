"""Uploads checked by content, downloads as attachments, the parcours' ZIP, the list page."""

import io
import random
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from installation.fichiers import TAILLE_MAX, detecter_format, valider_fichier
from installation.models import Document
from tests.factories import DepartementFactory, RegionFactory, UserFactory
from tests.installation.factories import (
    CSV,
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    XLSX,
    DocumentFactory,
    EtapeFactory,
    ParcoursFactory,
    zip_de,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("nom", "contenu", "attendu"),
    [
        ("a.pdf", PDF, "pdf"),
        ("a.odt", ODT, "odt"),
        ("a.docx", DOCX, "docx"),
        ("a.xlsx", XLSX, "xlsx"),
        ("a.csv", CSV, "csv"),
        ("a.png", PNG, "png"),
        ("a.jpg", JPEG, "jpeg"),
        ("a.JPEG", JPEG, "jpeg"),
    ],
)
def test_formats_acceptes(nom, contenu, attendu):
    fichier = SimpleUploadedFile(nom, contenu)
    valider_fichier(fichier)
    assert detecter_format(fichier) == attendu


@pytest.mark.parametrize(
    ("nom", "contenu", "code"),
    [
        ("page.pdf", b"<!DOCTYPE html><script>alert(1)</script>", "format"),  # HTML as PDF
        ("image.svg.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "format"),
        ("programme.pdf", b"MZ\x90\x00\x03" + b"\x00" * 50, "format"),  # executable
        ("faux.docx", zip_de({"word/document.xml": b"<x/>"}), "format"),  # zip, no types
        (
            "macro.docx",
            zip_de(
                {"[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main+xml"}
            ),
            "macros",
        ),
        ("archive.odt", zip_de({"mimetype": b"application/zip"}), "format"),
        ("photo.pdf", PNG, "extension"),  # a real PNG named .pdf
        ("lettre.docx", PDF, "extension"),
        ("tableur.xlsx", DOCX, "extension"),
        ("donnees.csv", b"a;b\x00c", "format"),
        ("page.csv", b"<html><body>a;b</body></html>", "format"),
        ("sans-extension", PDF, "extension"),
    ],
)
def test_formats_refuses_meme_deguises_par_l_extension(nom, contenu, code):
    with pytest.raises(ValidationError) as erreur:
        valider_fichier(SimpleUploadedFile(nom, contenu))
    assert erreur.value.code == code


def test_fichier_trop_gros_refuse():
    def pdf_de(taille):  # a PDF comment line pads the file to the wanted size
        return PDF[:9] + b"%" + b"0" * (taille - len(PDF) - 2) + b"\n" + PDF[9:]

    with pytest.raises(ValidationError) as erreur:
        valider_fichier(SimpleUploadedFile("gros.pdf", pdf_de(TAILLE_MAX + 1)))
    assert erreur.value.code == "trop_gros"
    valider_fichier(SimpleUploadedFile("juste.pdf", pdf_de(TAILLE_MAX)))


@pytest.fixture
def agent_na():
    na = RegionFactory(nouvelle_aquitaine=True)
    return UserFactory(agent_ars=True, regions=[na])


def _televerser(client, fichier, **extra):
    donnees = {
        "titre": "Guide de l'installation",
        "type": "guide",
        "date": "2026-11-23",
        "statut_publication": "publiee",
        "fichier": fichier,
        "region": "75",
        **extra,
    }
    return client.post(reverse("admin:installation_document_add"), donnees)


@pytest.mark.ignore_template_errors
def test_admin_refuse_un_fichier_deguise_et_stocke_sous_un_nom_aleatoire(client, agent_na):
    client.force_login(agent_na)
    reponse = _televerser(client, SimpleUploadedFile("guide.pdf", b"<html>piege</html>"))
    assert reponse.status_code == 200
    assert "Ce type de fichier n&#x27;est pas accepté" in reponse.content.decode()
    assert not Document.objects.exists()

    reponse = _televerser(client, SimpleUploadedFile("../../Guide final.PDF", PDF))
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    document = Document.objects.get()
    assert document.format == "pdf" and document.taille == len(PDF)
    assert document.fichier.name.startswith("installation/documents/")
    assert "Guide" not in document.fichier.name and document.fichier.name.endswith(".pdf")
    assert document.nom_fichier == "guide-de-linstallation.pdf"


def test_telechargement_en_piece_jointe_avec_nosniff(client):
    document = DocumentFactory(titre="Liste de contrôle")
    url = document.get_absolute_url()
    assert url.endswith("/liste-de-controle.pdf")
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == 'attachment; filename="liste-de-controle.pdf"'
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse.getvalue() == PDF
    autre_nom = reverse("installation:document_telecharger", args=[document.pk, "x.exe"])
    assert client.get(autre_nom).status_code == 301
    assert (
        client.get(reverse("installation:document_telecharger", args=[999, "a.pdf"])).status_code
        == 404
    )


def test_csv_servi_en_csv_telecharge():
    from django.core.files.base import ContentFile

    document = DocumentFactory(titre="Calendrier", fichier=ContentFile(CSV, name="c.csv"))
    assert document.format == "csv" and document.nom_fichier == "calendrier.csv"
    assert document.type_mime == "text/csv; charset=utf-8"


def test_zip_du_dossier_en_flux(client):
    parcours = ParcoursFactory(slug="infirmier-liberal")
    etape = EtapeFactory(parcours=parcours)
    DocumentFactory(titre="Liste de contrôle", parcours=[parcours])
    DocumentFactory(titre="Formulaire Ordre", etapes=[etape])
    DocumentFactory(titre="Formulaire Ordre", etapes=[etape])  # same name: deduplicated
    DocumentFactory(titre="Autre parcours", parcours=[ParcoursFactory()])
    gers = DepartementFactory(code="32")
    DocumentFactory(titre="Seulement dans le Gers", parcours=[parcours], departement=gers)

    reponse = client.get(reverse("installation:dossier_zip", args=["infirmier-liberal"]))
    # A small dossier is read whole by the page cache (guichet.cache_pages) and kept.
    assert reponse.status_code == 200 and reponse["X-Cache-Page"] == "miss"
    assert reponse["Content-Type"] == "application/zip"
    assert reponse["Content-Disposition"] == 'attachment; filename="dossier-infirmier-liberal.zip"'
    archive = zipfile.ZipFile(io.BytesIO(reponse.getvalue()))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == [
        "formulaire-ordre-2.pdf",
        "formulaire-ordre.pdf",
        "liste-de-controle.pdf",
    ]
    assert archive.read("liste-de-controle.pdf") == PDF
    avec_gers = client.get(
        reverse("installation:dossier_zip", args=["infirmier-liberal"]), {"departement": "32"}
    )
    noms = zipfile.ZipFile(io.BytesIO(avec_gers.getvalue())).namelist()
    assert "seulement-dans-le-gers.pdf" in noms
    assert client.get(reverse("installation:dossier_zip", args=["inconnu"])).status_code == 404


def test_zip_de_gros_fichiers_reste_en_flux(client, settings):
    """Two 9 MB files (that do not compress): the response is produced block by block, never
    kept whole (timing in the report)."""
    from django.core.files.base import ContentFile

    parcours = ParcoursFactory(slug="gros")
    for i in range(2):
        contenu = PDF + random.Random(i).randbytes(9 * 1024 * 1024)
        DocumentFactory(
            titre=f"Gros {i}", parcours=[parcours], fichier=ContentFile(contenu, name="g.pdf")
        )
    debut = time.perf_counter()
    reponse = client.get(reverse("installation:dossier_zip", args=["gros"]))
    assert reponse.streaming and "X-Cache-Page" not in reponse
    blocs = list(reponse.streaming_content)
    duree = time.perf_counter() - debut
    assert len(blocs) > 10 and max(len(b) for b in blocs) < 1024 * 1024
    assert zipfile.ZipFile(io.BytesIO(b"".join(blocs))).testzip() is None
    assert duree < 10


def test_liste_des_documents_filtres_et_requetes(client, django_assert_max_num_queries):
    parcours = ParcoursFactory(slug="sage-femme-liberale")
    for i in range(3):
        DocumentFactory(titre=f"Guide sage-femme {i}", parcours=[parcours], region=RegionFactory())
    DocumentFactory(titre="Tableau kiné", type="tableur")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("installation:documents")).content.decode()
    assert html.count('class="fr-download__link"') == 4
    html = client.get(
        reverse("installation:documents"), {"parcours": "sage-femme-liberale"}
    ).content.decode()
    assert "Guide sage-femme 0" in html and "Tableau kiné" not in html
    html = client.get(reverse("installation:documents"), {"q": "kiné"}).content.decode()
    assert "Tableau kiné" in html and "Guide sage-femme" not in html
    html = client.get(reverse("installation:documents"), {"type": "tableur"}).content.decode()
    assert "Tableau kiné" in html and "Guide sage-femme" not in html


def test_remplacer_ou_supprimer_un_document_ne_laisse_pas_de_fichier():
    from django.core.files.base import ContentFile

    document = DocumentFactory(titre="Guide")
    ancien = document.fichier.name
    stockage = document.fichier.storage
    document.fichier = ContentFile(CSV, name="guide.csv")
    document.save()
    assert not stockage.exists(ancien) and stockage.exists(document.fichier.name)
    assert document.format == "csv" and document.nom_fichier == "guide.csv"
    nouveau = document.fichier.name
    document.delete()
    assert not stockage.exists(nouveau)
