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
    html = client.get(
        url, {"profession": "infirmier", "situation": "installe", "commune": "Zzzz"}
    ).content.decode()
    assert "Étape 3 sur 4" in html and "Aucune commune ne correspond" in html


def test_resultat_explique_et_presque(client, melle):
    AideFactory(
        slug="tsd",
        nom="Contrat infirmiers",
        professions=["infirmier"],
        zonage_requis=["tres-sous-dotee"],
        montant=37500,
        unite="",
    )
    AideFactory(
        slug="zonage-ok",
        nom="Aide sous-dotée",
        professions=["infirmier"],
        zonage_requis=["sous-dotee"],
        montant=3000,
        unite="an",
    )
    AideFactory(
        slug="premiere",
        nom="Primo-installation",
        premiere_installation=True,
        montant=10000,
        unite="unique",
    )
    AideFactory(slug="medecins", nom="Réservée aux médecins", professions=["medecin-generaliste"])
    AideFactory(slug="dix-ans", nom="Règle des dix ans", delai_non_renouvellement_ans=10)
    ZonageFactory(commune=melle, profession="infirmier", niveau="sous-dotee")

    html = client.get(reverse("aides:simulateur"), REPONSES).content.decode()
    assert "Aide sous-dotée" in html and "Primo-installation" in html
    assert "Melle est en zone sous-dotée pour : infirmier ou infirmière" in html
    # 3 000 €/year over 5 years + 10 000 € once + 1 000 € once
    assert "jusqu&#x27;à 26\u202f000\u00a0€ sur les 5 premières années" in html
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


def test_zonage_inconnu_n_exclut_pas_et_dit_quoi_verifier(client, melle):
    AideFactory(
        nom="Contrat infirmiers",
        professions=["infirmier"],
        zonage_requis=["tres-sous-dotee"],
        montant=None,
    )
    html = client.get(reverse("aides:simulateur"), REPONSES).content.decode()
    assert "Contrat infirmiers" in html.split("Presque")[0]
    assert "zonage inconnu pour cette commune et cette profession" in html
    assert "À vérifier" in html and "référent installation" in html
    # The sentence counts the one card it lists, nothing more.
    assert "1 aide correspond à votre projet. Son montant est variable." in html
    assert "plus 1" not in html


def test_hors_zone_n_est_pas_zonage_inconnu(client, melle):
    ZonageFactory(commune=melle, profession="infirmier", niveau="intermediaire")
    AideFactory(
        nom="Contrat infirmiers", professions=["infirmier"], zonage_requis=["tres-sous-dotee"]
    )
    html = client.get(reverse("aides:simulateur"), REPONSES).content.decode()
    assert "Aucune aide ne correspond à toutes vos réponses." in html
    assert "commune hors zone très sous-dotée" in html
    assert "Zonage de Melle pour cette profession : <strong>Zone intermédiaire</strong>" in html


def test_accord_des_professions(client, melle):
    AideFactory(nom="Aide médecins", professions=["medecin-generaliste", "medecin-specialiste"])
    reponses = {**REPONSES, "profession": "medecin-generaliste"}
    html = client.get(reverse("aides:simulateur"), reponses).content.decode()
    assert "ouverte aux médecins généralistes et médecins spécialistes" in html


def test_liste_garde_les_aides_au_zonage_inconnu(client, melle):
    AideFactory(
        nom="Contrat infirmiers", professions=["infirmier"], zonage_requis=["tres-sous-dotee"]
    )
    url = reverse("aides:liste")
    html = client.get(url, {"commune": "79174", "profession": "infirmier"}).content.decode()
    assert "Contrat infirmiers" in html and "Zonage inconnu pour cette commune" in html
    ZonageFactory(commune=melle, profession="infirmier", niveau="intermediaire")
    html = client.get(url, {"commune": "79174", "profession": "infirmier"}).content.decode()
    assert "Contrat infirmiers" not in html and "Zone intermédiaire" in html
