"""« Maisons et centres de santé près de <commune> » on the commune page: the FINESS structures
near it with their distance, « Aucune … » only once an extract is loaded, « Inconnu » before."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from guichet.models import Commune, JeuDeDonnees
from installation.models import Structure
from tests.installation.factories import StructureFactory

pytestmark = pytest.mark.django_db

EXTRAIT = Path(__file__).parent / "donnees" / "etalab-cs1100507-stock-essai.csv"


def section(client, code: str) -> str:
    html = client.get(reverse("guichet:commune", args=[code])).content.decode()
    debut = html.index('id="msp-proches"')
    return html[debut : html.index("Monter un projet collectif", debut)]


@pytest.fixture
def felletin():
    # The real territories (loaded for the test session), with their centroids.
    return Commune.objects.select_related("departement").get(code="23079")


def test_liste_les_structures_proches_avec_leur_distance(client, felletin):
    StructureFactory(commune=felletin, nom="MSP du Plateau", adresse="2 rue des Tapissiers")
    StructureFactory(
        commune=Commune.objects.get(code="23008"),
        nom="Centre de santé d'Aubusson",
        categorie=Structure.Categorie.CDS,
    )
    StructureFactory(commune=Commune.objects.get(code="23096"), nom="MSP de Guéret")  # 38.6 km away
    JeuDeDonnees.objects.marquer_charge("finess", "x")
    texte = section(client, "23079")
    assert "<strong>Inconnu.</strong>" not in texte and "Aucune" not in texte
    assert (
        "<strong>MSP du Plateau</strong> — maison de santé pluriprofessionnelle, dans la "
        "commune (2 rue des Tapissiers)"
    ) in texte
    assert (
        "<strong>Centre de santé d&#x27;Aubusson</strong> — centre de santé, Aubusson, à 7 km"
        in (texte)
    )
    assert texte.index("MSP du Plateau") < texte.index("Aubusson")
    assert "MSP de Guéret" not in texte  # beyond 30 km
    assert "d'après le répertoire FINESS" in texte


def test_aucune_seulement_quand_une_extraction_finess_est_chargee(client, felletin):
    StructureFactory(commune=Commune.objects.get(code="23096"), nom="MSP de Guéret")  # 38.6 km away
    texte = section(client, "23079")
    assert "<strong>Inconnu.</strong>" in texte and "Aucune" not in texte
    JeuDeDonnees.objects.marquer_charge("finess", "x")
    # (an import writes the table in the marker's transaction: the kept page is rebuilt)
    StructureFactory(commune=Commune.objects.get(code="23096"), nom="CDS de Guéret")
    texte = section(client, "23079")
    assert "<strong>Inconnu.</strong>" not in texte
    assert (
        "<strong>Aucune maison de santé ni aucun centre de santé à moins de 30 km</strong> "
        "de Felletin dans le répertoire FINESS"
    ) in texte


def test_structures_fictives_de_la_demo_signalees_et_inconnu_ailleurs(client, felletin):
    StructureFactory(commune=felletin, nom="Maison de santé de Felletin (fictive)", fictive=True)
    texte = section(client, "23079")
    assert "Maison de santé de Felletin (fictive)" in texte and "Fictive</span>" in texte
    assert "inventées pour la démonstration" in texte
    # far from any: still unknown, the demo says nothing of real structures
    assert "<strong>Inconnu.</strong>" in section(client, "79191")


def test_l_import_met_a_jour_la_page_gardee(client, felletin):
    assert "<strong>Inconnu.</strong>" in section(client, "23079")  # built and kept
    call_command("import_finess", str(EXTRAIT), stdout=StringIO())
    texte = section(client, "23079")
    assert "MAISON DE SANTÉ PLURIPROFESSIONNELLE DU PLATEAU (ESSAI)" in texte
    assert "<strong>Inconnu.</strong>" not in texte
    assert (
        "CENTRE DE SANTÉ DU LAMENTIN (ESSAI)</strong> — centre de santé, Le Lamentin, à 6 km"
        in (
            section(client, "97207")  # Ducos
        )
    )
    assert "<strong>Aucune maison de santé" in section(client, "75056")  # Paris: none in the file


def test_un_extrait_sans_aucune_structure_fait_passer_de_inconnu_a_aucune(client, tmp_path):
    assert "<strong>Inconnu.</strong>" in section(client, "23079")
    vide = tmp_path / "vide.csv"
    lignes = EXTRAIT.read_text(encoding="cp1252").split("\n")
    vide.write_text("\n".join([lignes[0], lignes[3]]), encoding="utf-8")  # header, a hospital
    call_command("import_finess", str(vide), stdout=StringIO())
    assert "<strong>Aucune maison de santé" in section(client, "23079")
