"""Two professions as far below France as each other: the finding names both (sorting the
gaps compared their table rows, which raised TypeError on the page)."""

from types import SimpleNamespace

from demographie import constats
from demographie.indicateurs import Agregat


def test_deux_ecarts_egaux_a_la_france():
    a = Agregat(annee=2025, lignes=1, effectif=10, population=100_000)
    france = Agregat(annee=2025, lignes=1, effectif=20, population=100_000)
    tableau = [
        {"profession": p, "agregat": a, "densite": "10,0"} for p in ("orthophoniste", "orthoptiste")
    ]
    rapport = SimpleNamespace(
        compare_a_la_france=True,
        tableau=tableau,
        profil=SimpleNamespace(comparaison={"France": {p["profession"]: france for p in tableau}}),
    )
    texte = constats._retrait_france(rapport)
    assert "orthophonistes" in texte and "orthoptistes" in texte and "−50,0\u00a0%" in texte
