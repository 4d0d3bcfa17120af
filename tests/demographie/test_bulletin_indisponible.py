"""The page of a bulletin not generated yet names its territory as French does (issue 28:
"des Deux-Sèvres", not "de Deux-Sèvres"), and a masked headcount reads "masqué", never 0."""

import pytest
from django.urls import reverse

from demographie.indicateurs import Agregat
from demographie.rapport import effectif_texte


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("niveau", "code", "attendu"),
    [
        ("departement", "79", "Le bulletin 2025 des Deux-Sèvres (79) n'est pas encore disponible"),
        ("region", "02", "Le bulletin 2025 de la Martinique n'est pas encore disponible"),
        ("departement", "972", "Les chiffres de la Martinique (972)"),
        ("france", "FR", "Le bulletin 2025 de la France n'est pas encore disponible"),
    ],
)
def test_bulletin_indisponible_accorde_le_territoire(
    client, martinique, deux_sevres, niveau, code, attendu
):
    reponse = client.get(reverse("demographie:bulletin_pdf", args=[2025, niveau, code]))
    assert reponse.status_code == 404
    html = reponse.content.decode().replace("&#x27;", "'")
    assert attendu in html
    assert " de Deux-Sèvres" not in html and " de Martinique" not in html


@pytest.mark.parametrize(
    ("effectif", "masques", "lignes", "attendu"),
    [
        (None, 1, 1, "masqué"),
        (0, 2, 5, "masqué"),
        (12, 1, 3, "≥ 12"),
        (0, 0, 3, "0"),
        (None, 0, 0, "—"),
        (1145, 0, 48, "1 145"),
    ],
)
def test_effectif_masque_jamais_zero(effectif, masques, lignes, attendu):
    a = Agregat(annee=2025, effectif=effectif, masques=masques, lignes=lignes)
    assert effectif_texte(a).replace("\u202f", " ").replace("\xa0", " ") == attendu
