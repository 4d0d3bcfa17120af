"""Aid pages viewed and simulations run are counted server-side, without cookie or person."""

import datetime

from django.urls import reverse

from espace.models import CompteurJournalier
from tests.aides.factories import AideFactory


def test_vue_d_une_aide_comptee_sans_cookie(client, territoires):
    aide = AideFactory(portee="departement")
    aide.departements.add(territoires["dep_a"])
    nationale = AideFactory()
    for _ in range(2):
        reponse = client.get(aide.get_absolute_url())
    client.get(nationale.get_absolute_url())
    assert not reponse.cookies
    compteur = CompteurJournalier.objects.get(
        indicateur="aide-vue", departement=territoires["dep_a"]
    )
    assert compteur.nombre == 2 and compteur.region == territoires["region_a"]
    assert CompteurJournalier.objects.get(indicateur="aide-vue", region=None).nombre == 1
    assert CompteurJournalier.objects.count() == 2


def test_brouillon_non_compte(client, territoires):
    aide = AideFactory(brouillon=True)
    assert client.get(aide.get_absolute_url()).status_code == 404
    assert not CompteurJournalier.objects.exists()


def test_increment_par_jour(territoires):
    jour = datetime.date(2026, 1, 5)
    CompteurJournalier.incrementer("simulation", departement=territoires["dep_a"], jour=jour)
    CompteurJournalier.incrementer("simulation", departement=territoires["dep_a"], jour=jour)
    CompteurJournalier.incrementer("simulation", departement=territoires["dep_a"])
    valeurs = sorted(CompteurJournalier.objects.values_list("nombre", flat=True))
    assert valeurs == [1, 2]


def test_simulation_comptee(client, territoires):
    parametres = {
        "profession": "medecin-generaliste",
        "situation": "interne",
        "commune": "00001",
        "exercice": "seul",
        "secteur": "secteur-1",
        "premiere": "oui",
        "aide_recente": "non",
    }
    reponse = client.get(reverse("aides:simulateur"), parametres)
    assert "Poser une question" in reponse.content.decode()
    assert (
        CompteurJournalier.objects.get(indicateur="simulation").departement == territoires["dep_a"]
    )
