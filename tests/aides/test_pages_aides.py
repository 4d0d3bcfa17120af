import csv
import io
import json

import pytest
from django.urls import reverse

from tests.aides.factories import AideFactory, OrganisationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_fiche_aide_points_cles(client):
    cpam = OrganisationFactory(nom="Assurance Maladie")
    asp = OrganisationFactory(nom="Agence de services et de paiement")
    aide = AideFactory(
        nom="Contrat d'engagement de service public",
        sigle="CESP",
        montant=1200,
        unite="mois",
        engagement="Exercer 2 ans en zone sous-dotée.",
        financeurs=[cpam],
        instructeurs=[asp],
        description="## Candidater\n\nDéposez un dossier.<script>alert(1)</script>",
    )
    html = client.get(aide.get_absolute_url()).content.decode()
    assert "1\u202f200\u00a0€ par mois" in html
    assert "Exercer 2 ans en zone sous-dotée." in html
    assert "Qui finance</dt><dd>Assurance Maladie" in html
    assert "Qui instruit le dossier</dt><dd>Agence de services et de paiement" in html
    assert "<h2>Candidater</h2>" in html and "<script>alert" not in html
    assert "Vérifié le" in html and aide.source_url in html
    assert reverse("rendezvous:accueil") in html


def test_dispositif_clos_reste_visible(client):
    aide = AideFactory(nom="Praticien territorial de médecine générale", sigle="PTMG", close=True)
    html = client.get(aide.get_absolute_url()).content.decode()
    assert "Dispositif clos le 31 décembre 2020" in html


def test_brouillon_invisible_au_public_mais_apercu_pour_l_equipe(client):
    aide = AideFactory(brouillon=True)
    assert client.get(aide.get_absolute_url()).status_code == 404
    assert client.get(reverse("aides:apercu", args=[aide.slug])).status_code == 404
    client.force_login(UserFactory(admin_national=True))
    response = client.get(reverse("aides:apercu", args=[aide.slug]))
    assert response.status_code == 200 and "Aperçu" in response.content.decode()


def test_exports_avec_les_memes_filtres(client):
    cpam = OrganisationFactory(code="cpam")
    AideFactory(slug="inf", nom="Aide infirmiers", professions=["infirmier"], financeurs=[cpam])
    AideFactory(slug="med", nom="Aide médecins", professions=["medecin-generaliste"])
    AideFactory(slug="close", professions=["infirmier"], close=True)
    data = json.loads(client.get(reverse("aides:export_json"), {"profession": "infirmier"}).content)
    assert [a["slug"] for a in data["aides"]] == ["inf"]
    assert data["aides"][0]["financeurs"] == ["cpam"]
    assert data["aides"][0]["montant"] == 1000.0
    response = client.get(reverse("aides:export_csv"), {"profession": "infirmier", "ouvertes": "0"})
    assert response["Content-Disposition"] == 'attachment; filename="aides.csv"'
    lignes = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert sorted(ligne["slug"] for ligne in lignes) == ["close", "inf"]
    assert lignes[0]["professions"] == "infirmier"


def test_documents_joints_a_l_aide(client):
    from django.core.files.base import ContentFile

    from installation.models import Document

    aide = AideFactory()
    document = Document(
        titre="Modèle de contrat",
        type="modele",
        description="À remplir.",
        fichier=ContentFile(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", name="contrat.pdf"),
    )
    document.save()
    document.aides.add(aide)
    html = client.get(aide.get_absolute_url()).content.decode()
    assert "Documents à télécharger" in html and "Modèle de contrat" in html
    assert document.get_absolute_url() in html


def test_export_de_valeurs_en_requetes_constantes(client, django_assert_max_num_queries):
    """The export reads plain values — no description, no search vector, no model instance —
    with every territory and funding in one query per table, whatever the number of aids; the
    JSON has one aid per line."""
    from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

    region = RegionFactory(code="R1", nom="Région")
    departement = DepartementFactory(code="D1", region=region)
    communes = [  # named in reverse order of their codes: the export lists them by name
        CommuneFactory(code=f"0000{i}", nom=f"Commune {'CBA'[i]}", departement=departement)
        for i in range(3)
    ]
    cpam, ars = OrganisationFactory(code="cpam"), OrganisationFactory(code="ars")
    for i in range(12):
        aide = AideFactory(slug=f"aide-{i:02}", financeurs=[cpam, ars], portee="communes")
        aide.communes.add(*communes[: 1 + i % 3])
        aide.regions.add(region)
    with django_assert_max_num_queries(10) as requetes:
        reponse = client.get(reverse("aides:export_json"))
    assert not any('"recherche"' in q["sql"] or '"description"' in q["sql"]
                   for q in requetes.captured_queries)  # fmt: skip
    texte = reponse.content.decode()
    assert texte.count("\n") == 12 + 2  # the header, one line per aid, the end
    donnees = json.loads(texte)
    assert donnees["licence"] == "Licence Ouverte / Etalab 2.0"
    premiere = next(a for a in donnees["aides"] if a["slug"] == "aide-02")
    assert premiere["territoires"] == ["R1", "00002", "00001", "00000"]
    assert premiere["financeurs"] == ["cpam", "ars"]
    assert premiere["url"].endswith("/aides/aide-02/")
