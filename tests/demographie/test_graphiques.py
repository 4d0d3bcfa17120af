import xml.etree.ElementTree as ET

from demographie import graphiques

SVG = "{http://www.w3.org/2000/svg}"


def _analyser(g):
    racine = ET.fromstring(str(g.svg))
    textes = [t.text for t in racine.iter(f"{SVG}text")]
    return racine, textes


def test_pyramide_structure_et_valeurs():
    g = graphiques.pyramide(
        "pyr",
        "Pyramide <test> & co",
        "Description",
        [("<30", "Moins de 30 ans"), ("70+", "70 ans et plus")],
        {("<30", "H"): 12, ("<30", "F"): 1500, ("70+", "H"): None},
    )
    racine, textes = _analyser(g)
    assert racine.tag == f"{SVG}svg" and racine.get("viewBox").startswith("0 0 ")
    assert racine.get("role") == "img" and racine.get("aria-labelledby") == "pyr-titre pyr-desc"
    assert racine.find(f"{SVG}title").text == "Pyramide <test> & co"
    assert racine.find(f"{SVG}desc").text == "Description"
    assert "12" in textes and "1\u00a0500" in textes and "—" in textes  # masked: a dash
    assert g.entetes == ["Tranche d'âge", "Hommes", "Femmes"]
    assert g.lignes[0] == ["Moins de 30 ans", "12", "1\u00a0500"]


def test_courbes_et_barres():
    g = graphiques.courbes(
        "evo",
        "Évolution",
        "Desc",
        {"A": {2020: 10.0, 2021: 12.5}, "France": {2020: 11.0, 2021: None}},
        "pour 100 000",
        1,
    )
    racine, textes = _analyser(g)
    assert len(racine.findall(f"{SVG}polyline")) == 1  # France has a single point
    assert {"2020", "2021", "A", "France"} <= set(textes)
    assert g.lignes == [["2020", "10,0", "11,0"], ["2021", "12,5", "—"]]
    b = graphiques.barres(
        "cmp",
        "Comparaison",
        "Desc",
        [("Martinique", 132.3), ("France", 137.6)],
        "Densité",
        137.6,
        "Repère",
        decimales=1,
    )
    racine, textes = _analyser(b)
    assert "132,3" in textes and len(racine.findall(f"{SVG}rect")) == 3
    assert b.lignes == [["Martinique", "132,3"], ["France", "137,6"]]


def test_nombre_a_la_francaise():
    assert graphiques.nombre(1234567.891, 1) == "1\u00a0234\u00a0567,9"
    assert graphiques.nombre(-5.04, 1, signe=True) == "-5,0"
    assert graphiques.nombre(None) == "—"
