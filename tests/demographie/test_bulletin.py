import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demographie import pdf, services, territoires
from demographie.models import Bulletin

pytest.importorskip("weasyprint")


def _titres(outline):
    for element in outline:
        if isinstance(element, list):
            yield from _titres(element)
        else:
            yield element.title


def _texte(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_bulletin_pdf_texte_metadonnees_balises(client, effectifs_martinique):
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    response = client.get("/demographie/bulletin/2025/departement/972.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    texte = _texte(reader)
    assert f"Page 1 sur {len(reader.pages)}" in texte
    assert "Bulletin 2025" in texte and "Sommaire" in texte
    assert "≥ 40" in texte and "20,0" in texte
    assert reader.metadata.title.startswith("Bulletin 2025 de démographie")
    racine = reader.trailer["/Root"]
    assert racine["/Lang"] == "fr"
    assert "/StructTreeRoot" in racine and racine["/MarkInfo"]["/Marked"]
    assert "Vue d'ensemble par profession" in _titres(reader.outline)  # headings → bookmarks
    polices = {
        f["/BaseFont"]
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Marianne" in p for p in polices)


@pytest.mark.django_db
def test_sommaire_avec_numeros_de_page(effectifs_martinique):
    from weasyprint import HTML

    from demographie import rapport

    r = rapport.construire(territoires.trouver("departement", "972"), toutes_sections=True)
    document = HTML(string=pdf.rendre_html(r), base_url=pdf.BASE_URL).render()
    ancres = {a for page in document.pages for a in page.anchors}
    assert {"resume", "vue-ensemble", "methode", "profession-medecin-generaliste"} <= ancres


@pytest.mark.django_db
def test_premiere_page_numerotee(effectifs_martinique):
    contenu = services.bulletin_rendre(territoire=territoires.trouver("region", "02"), annee=2025)
    texte = _texte(PdfReader(io.BytesIO(contenu)))
    assert "Page 1 sur" in texte


@pytest.mark.django_db
def test_pas_de_donnees_pas_de_bulletin(client, effectifs_martinique):
    assert client.get("/demographie/bulletin/2019/departement/972.pdf").status_code == 404


@pytest.mark.django_db
def test_publication_fige_l_edition(client, effectifs_martinique, martinique, settings):
    bulletin = Bulletin.objects.create(
        annee=2025, niveau="region", region=martinique.region, code_territoire="02",
        faits_marquants="**Ouverture** d'une maison de santé.",
    )  # fmt: skip
    services.bulletin_publier(bulletin=bulletin)
    bulletin.refresh_from_db()
    assert bulletin.est_publie and bulletin.fichier.name.startswith("demographie/bulletins/")
    fige = bulletin.fichier.read()
    assert "Ouverture" in _texte(PdfReader(io.BytesIO(fige)))
    with pytest.raises(services.BulletinDejaPublie):
        services.bulletin_publier(bulletin=bulletin)
    from tests.factories import EffectifFactory

    EffectifFactory(departement=martinique, effectif=1000)  # later data: the edition stays
    response = client.get("/demographie/bulletin/2025/region/02.pdf")
    assert b"".join(response.streaming_content) == fige
    html = client.get("/demographie/bulletins/").content.decode()
    assert "/demographie/bulletin/2025/region/02.pdf" in html and "Martinique" in html


@pytest.mark.django_db
def test_generer_bulletins(effectifs_martinique):
    call_command("generer_bulletins", "--annee", "2025", "--niveau", "departement",
                 stdout=io.StringIO())  # fmt: skip
    assert Bulletin.objects.publies().filter(niveau="departement", code_territoire="972").exists()


def test_le_fetcher_refuse_les_ressources_externes():
    fetcher = pdf.fetcher()
    for url in ["https://exemple.fr/x.css", "file:///etc/passwd",
                f"{pdf.BASE_URL}static/../../settings.py", f"{pdf.BASE_URL}autre/x"]:  # fmt: skip
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    reponse = fetcher.fetch(f"{pdf.BASE_URL}static/dsfr/dist/fonts/Marianne-Regular.woff2")
    assert reponse.read(4) == b"wOF2"
