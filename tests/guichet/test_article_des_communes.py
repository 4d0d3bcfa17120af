"""A commune's name after "de" or "à" takes its article: "Zonage du Lamentin", "au Lamentin",
never "de Le Lamentin" — for every commune of the official list and on the pages."""

import csv
import gzip
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from guichet import grammaire
from tests.aides.factories import AideFactory, ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

FAUTES = re.compile(r"\b(de|à) (Le|Les) |\bde [AEIOUYÉÈÊÎÔÂ]")


def _noms_des_communes():
    chemin = Path(settings.BASE_DIR) / "fixtures" / "territoires" / "communes.csv.gz"
    with gzip.open(chemin, "rt", encoding="utf-8") as f:
        return [ligne["nom"] for ligne in csv.DictReader(io.StringIO(f.read()), delimiter=";")]


def test_chaque_commune_du_fichier_prend_son_article():
    noms = _noms_des_communes()
    assert len(noms) > 34_000
    fautes = []
    for nom in noms:
        for phrase in (f"Zonage {grammaire.de_commune(nom)}", grammaire.a_commune(nom)):
            if FAUTES.search(phrase):
                fautes.append(phrase)
        # the name is still there, only its article contracted
        sans_article = re.sub(r"^(Le|Les) ", "", nom)
        assert grammaire.de_commune(nom).endswith(sans_article)
        assert grammaire.a_commune(nom).endswith(sans_article)
    assert fautes == []


@pytest.mark.parametrize(
    ("nom", "de", "a"),
    [
        ("Le Lamentin", "du Lamentin", "au Lamentin"),
        ("Les Abymes", "des Abymes", "aux Abymes"),
        ("La Rochelle", "de La Rochelle", "à La Rochelle"),
        ("L'Isle-Adam", "de L'Isle-Adam", "à L'Isle-Adam"),
        ("Angers", "d'Angers", "à Angers"),
        ("Évreux", "d'Évreux", "à Évreux"),
        ("Niort", "de Niort", "à Niort"),
    ],
)
def test_article_d_une_commune(nom, de, a):
    assert grammaire.de_commune(nom) == de
    assert grammaire.a_commune(nom) == a


@pytest.fixture
def lamentin(db, pages_editoriales):
    dep = DepartementFactory(code="972", nom="Martinique", region=RegionFactory(code="02"))
    commune = CommuneFactory(
        code="97213", nom="Le Lamentin", departement=dep, codes_postaux=["97232"]
    )
    ZonageFactory(commune=commune, profession="infirmier", niveau="intermediaire", fictif=True)
    AideFactory(nom="Aide aux infirmiers", professions=["infirmier"])
    return commune


@pytest.mark.parametrize(
    "adresse",
    [
        reverse("aides:simulateur") + "?profession=infirmier&situation=installe&commune=97213"
        "&exercice=seul&secteur=&premiere=oui&aide_recente=non",
        reverse("aides:liste") + "?profession=infirmier&commune=97213",
        "/communes/97213/",
    ],
)
def test_les_pages_ecrivent_du_lamentin(client, lamentin, adresse):
    page = client.get(adresse).content.decode()
    texte = re.sub(r"<[^>]+>", "", page)
    assert "Le Lamentin" in texte or "du Lamentin" in texte
    assert not FAUTES.search(texte), FAUTES.search(texte).group(0)
    assert "du Lamentin" in texte or "au Lamentin" in texte


def test_un_territoire_de_la_demographie_apres_de():
    from demographie.territoires import Territoire

    assert Territoire("departement", "23", "Creuse (23)").de_nom == "de la Creuse (23)"
    assert Territoire("commune", "97213", "Le Lamentin (972)").de_nom == "du Lamentin (972)"
    assert Territoire("region", "75", "Nouvelle-Aquitaine").de_nom == ("de Nouvelle-Aquitaine")
    assert Territoire("france", "FR", "France").de_nom == "de la France"
