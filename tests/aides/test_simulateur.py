import pytest
from django.urls import reverse

from aides.models import SimulationEnregistree
from tests.aides.factories import AideFactory, ZonageFactory
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db

REPONSES = {
    "profession": "infirmier",
    "situation": "installe",
    "commune": "79174",
    "exercice": "seul",
    "secteur": "",
    "premiere": "oui",
    "aide_recente": "non",
}


@pytest.fixture
def melle():
    return CommuneFactory(code="79174", nom="Melle")


def test_etapes_sans_javascript(client, melle):
    url = reverse("aides:simulateur")
    assert "Étape 1 sur 4" in client.get(url).content.decode()
    html = client.get(url, {"profession": "infirmier"}).content.decode()
    assert "Étape 2 sur 4" in html and 'name="profession" value="infirmier"' in html
    html = client.get(url, {"profession": "infirmier", "situation": "installe",
                            "commune": "Zzzz"}).content.decode()  # fmt: skip
    assert "Étape 3 sur 4" in html and "Aucune commune ne correspond" in html


def test_resultat_explique_et_presque(client, melle):
    AideFactory(slug="tsd", nom="Contrat infirmiers", professions=["infirmier"],
                zonage_requis=["tres-sous-dotee"], montant=37500, unite="")  # fmt: skip
    AideFactory(slug="zonage-ok", nom="Aide sous-dotée", professions=["infirmier"],
                zonage_requis=["sous-dotee"], montant=3000, unite="an")  # fmt: skip
    AideFactory(slug="premiere", nom="Primo-installation", premiere_installation=True,
                montant=10000, unite="unique")  # fmt: skip
    AideFactory(slug="medecins", nom="Réservée aux médecins", professions=["medecin-generaliste"])
    AideFactory(slug="dix-ans", nom="Règle des dix ans", delai_non_renouvellement_ans=10)
    ZonageFactory(commune=melle, profession="infirmier", niveau="sous-dotee")

    html = client.get(reverse("aides:simulateur"), REPONSES).content.decode()
    assert "Aide sous-dotée" in html and "Primo-installation" in html
    assert "Melle est en zone sous-dotée pour : infirmier ou infirmière" in html
    # 3 000 €/year over 5 years + 10 000 € once + 1 000 € once
    assert "jusqu'à <strong>26\u202f000\u00a0€</strong>" in html
    assert "Contrat infirmiers</a> — commune hors zone très sous-dotée" in html
    assert "Réservée aux médecins" not in html

    autre = client.get(
        reverse("aides:simulateur"), {**REPONSES, "premiere": "non", "aide_recente": "oui"}
    ).content.decode()
    assert "Primo-installation</a> — réservée à une première installation" in autre
    assert (
        "Règle des dix ans</a> — déjà bénéficiaire d&#x27;une aide à l&#x27;installation "
        "dans les 10 ans" in autre
    )


def test_enregistrer_la_simulation(client, melle):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("aides:simulation_enregistrer"), REPONSES)
    assert response.status_code == 302
    simulation = SimulationEnregistree.objects.get(utilisateur=user)
    assert simulation.libelle == "Infirmier ou infirmière à Melle"
    assert client.get(simulation.get_absolute_url()).status_code == 200
    compte = client.get(reverse("guichet:mon_compte")).content.decode()
    assert "Infirmier ou infirmière à Melle" in compte


def test_enregistrer_exige_une_connexion(client, melle):
    response = client.post(reverse("aides:simulation_enregistrer"), REPONSES)
    assert response.status_code == 302 and "/comptes/login/" in response.url
    assert not SimulationEnregistree.objects.exists()
