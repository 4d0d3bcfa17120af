"""An aid's title names each of its acronyms once: "… (CAPII et CAII)", never followed by
"(CAPII / CAII)"."""

import re

import pytest
import yaml

from aides.models import Aide
from aides.services import CATALOGUE


def _sigles(sigle):
    return [s for s in re.split(r"\s*(?:/|,|\bet\b)\s*", sigle or "") if s]


def test_chaque_aide_du_catalogue_nomme_ses_sigles_une_fois():
    entrees = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["aides"]
    avec_sigle = [e for e in entrees if e.get("sigle")]
    assert len(avec_sigle) > 15
    for entree in avec_sigle:
        titre = Aide(nom=entree["nom"], sigle=entree["sigle"]).titre
        for sigle in _sigles(entree["sigle"]):
            assert len(re.findall(rf"\b{re.escape(sigle)}\b", titre)) == 1, titre


@pytest.mark.parametrize(
    ("nom", "sigle", "titre"),
    [
        (
            "Contrat d'engagement de service public",
            "CESP",
            "Contrat d'engagement de service public (CESP)",
        ),
        (
            "Contrat d'aide au maintien d'activité des infirmiers (CAMI)",
            "CAMI",
            "Contrat d'aide au maintien d'activité des infirmiers (CAMI)",
        ),
        (
            "Contrats d'aide à l'installation des infirmiers libéraux (CAPII et CAII)",
            "CAPII / CAII",
            "Contrats d'aide à l'installation des infirmiers libéraux (CAPII et CAII)",
        ),
        ("Praticien territorial", "", "Praticien territorial"),
    ],
)
def test_titre(nom, sigle, titre):
    assert Aide(nom=nom, sigle=sigle).titre == titre
