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
    assert b.lignes == [["France", "137,6"], ["Martinique", "132,3"]]  # sorted by value


def test_barres_noms_longs_entiers():
    """A long territory name is set smaller, never cut ("Pyrénées-Atlantiques (6…")."""
    noms = ["Pyrénées-Atlantiques (64)", "Provence-Alpes-Côte d'Azur", "Ain (01)"]
    b = graphiques.barres("cmp", "Comparaison", "Desc", [(n, 100.0) for n in noms], "D", None, "")
    racine, textes = _analyser(b)
    assert set(noms) <= set(textes) and not any("…" in t for t in textes if t)
    tailles = {
        t.text: float(t.get("font-size")) for t in racine.iter(f"{SVG}text") if t.text in noms
    }
    assert tailles["Ain (01)"] == 10.5
    assert 8 <= tailles["Pyrénées-Atlantiques (64)"] < 10.5
    for nom in noms:  # fits in the 144 units left of the bars
        assert graphiques.largeur_texte(nom, tailles[nom]) <= 144


def test_nombre_a_la_francaise():
    assert graphiques.nombre(1234567.891, 1) == "1\u00a0234\u00a0567,9"
    assert graphiques.nombre(-5.04, 1, signe=True) == "\u22125,0"  # U+2212, not a hyphen
    assert graphiques.nombre(None) == "—"


def _bornes_des_etiquettes(racine):
    """x range of each value label of a bar chart (the text after each bar)."""
    for texte in racine.iter(f"{SVG}text"):
        if texte.get("text-anchor") is None and texte.text and texte.text[0].isdigit():
            x = float(texte.get("x"))
            yield texte.text, x, x + graphiques.largeur_texte(texte.text)


def test_le_trait_de_reference_ne_coupe_aucune_etiquette():
    # values around the reference: without care the tick would cross "58,1" or "124,8"
    lignes = [("A", 58.1), ("B", 124.8), ("C", 60.0), ("D", 125.0), ("E", 59.0), ("F", None)]
    for reference in (58.0, 59.5, 124.0, 126.0, 61.0):
        b = graphiques.barres("b", "T", "D", lignes, "Densité", reference, "France", decimales=1)
        racine = ET.fromstring(str(b.svg))
        trait = racine.find(f"{SVG}line[@class='reference']")
        rx = float(trait.get("x1"))
        for texte, debut, fin in _bornes_des_etiquettes(racine):
            assert not debut - 1 <= rx <= fin + 1, (reference, texte, debut, fin, rx)
    assert [ligne[0] for ligne in b.lignes] == ["D", "B", "C", "E", "A", "F"]  # by value
