"""Published posts as open data: the list's filters, CSV and JSON, no personal data."""

import json

import pytest
from django.urls import reverse

from tests import factories as f
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def annonces():
    creuse = f.DepartementFactory(code="23", nom="Creuse")
    felletin = f.CommuneFactory(code="23079", nom="Felletin", departement=creuse,
                                latitude=45.89089, longitude=2.18224)  # fmt: skip
    aubusson = f.CommuneFactory(code="23008", nom="Aubusson", departement=creuse,
                                latitude=45.95075, longitude=2.16679)  # fmt: skip
    niort = f.CommuneFactory(code="79191", nom="Niort", latitude=46.32849, longitude=-0.46474)
    return {
        "docteur": OpportuniteFactory(
            publiee=True, commune=felletin, structure="Cabinet du Dr Jean Dupont",
            description="Appelez-moi au 06 12 34 56 78", equipe="Marie Curie, IDE",
            auteur__email="jean.dupont@exemple.fr"),
        "msp": OpportuniteFactory(publiee=True, commune=aubusson, qualite_auteur="structure",
                                  structure="MSP d'Aubusson", nature="poste-salarie"),
        "niort": OpportuniteFactory(publiee=True, commune=niort),
        "soumise": OpportuniteFactory(soumise=True, commune=felletin, titre="Pas encore"),
    }  # fmt: skip


def test_json_publiees_filtrees_sans_donnees_personnelles(client, annonces):
    reponse = client.get(reverse("opportunites:export_json"), {"commune": "23008", "rayon": "30"})
    donnees = json.loads(reponse.content)
    lignes = {ligne["commune"]: ligne for ligne in donnees["opportunites"]}
    assert set(lignes) == {"Felletin", "Aubusson"}
    assert lignes["Aubusson"]["structure"] == "MSP d'Aubusson"
    assert lignes["Felletin"]["structure"] == ""  # a professional in person: not published
    texte = reponse.content.decode()
    for personnel in ("Dupont", "06 12", "Marie Curie", "@exemple.fr", "Pas encore"):
        assert personnel not in texte
    assert lignes["Felletin"]["url"].endswith(annonces["docteur"].get_absolute_url())


def test_csv_meme_filtre_et_parametres_non_valides(client, annonces):
    reponse = client.get(reverse("opportunites:export_csv"), {"nature": "poste-salarie"})
    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert lignes[0].startswith("id;url;type;titre;professions;commune_insee")
    assert len(lignes) == 2 and ";23008;Aubusson;23;" in lignes[1]
    for url in ("opportunites:export_csv", "opportunites:export_json"):
        assert client.get(reverse(url), {"rayon": "7"}).status_code == 400


def test_requetes_constantes(client, annonces, django_assert_max_num_queries):
    # The list page itself is measured the same way in test_liste.test_requetes_constantes.
    for url in ("opportunites:export_csv", "opportunites:export_json"):
        client.get(reverse(url))
        comptes = []
        for _ in range(2):
            with django_assert_max_num_queries(10) as requetes:
                client.get(reverse(url), {"commune": "23008", "rayon": "200"})
            comptes.append(len(requetes.captured_queries))
            for _ in range(15):
                OpportuniteFactory(publiee=True, commune=annonces["msp"].commune)
        assert comptes[0] == comptes[1], url
