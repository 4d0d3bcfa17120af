"""import_finess: the maisons and centres de santé of the FINESS extract, on a file in its exact
layout (tests/installation/donnees/etalab-cs1100507-stock-essai.csv, Windows-1252 like the
data.gouv.fr editions: the ``finess;etalab;…`` line, 32-field ``structureet`` lines,
``geolocalisation`` lines; numbers and names are test data marked « ESSAI »)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet import geo
from guichet.imports import ErreurImport
from guichet.models import JeuDeDonnees
from installation.finess import OUTRE_MER, _texte, code_insee, lire
from installation.models import Structure
from tests import factories as f
from tests.installation.factories import StructureFactory

pytestmark = pytest.mark.django_db

EXTRAIT = Path(__file__).parent / "donnees" / "etalab-cs1100507-stock-essai.csv"
# Centroids of the real outlines (guichet.geo.centroides on fixtures/geo/communes.csv.gz).
COMMUNES = {
    "23079": ("Felletin", "23", 45.89089, 2.18224),
    "23008": ("Aubusson", "23", 45.95075, 2.16679),
    "23096": ("Guéret", "23", 46.16274, 1.87102),
    "79191": ("Niort", "79", 46.32849, -0.46474),
    "97213": ("Le Lamentin", "972", 14.62785, -60.99181),
    "97207": ("Ducos", "972", 14.57993, -60.96518),
}


@pytest.fixture
def territoires():
    na = f.RegionFactory(nouvelle_aquitaine=True)
    mq = f.RegionFactory(martinique=True)
    deps = {
        "23": f.DepartementFactory(code="23", nom="Creuse", region=na),
        "79": f.DepartementFactory(code="79", nom="Deux-Sèvres", region=na),
        "972": f.DepartementFactory(code="972", nom="Martinique", region=mq),
    }
    return {
        code: f.CommuneFactory(
            code=code, nom=nom, departement=deps[dep], latitude=lat, longitude=lon
        )
        for code, (nom, dep, lat, lon) in COMMUNES.items()
    }


def importer(fichier: Path, *options) -> str:
    sortie = StringIO()
    call_command("import_finess", str(fichier), *options, stdout=sortie)
    return sortie.getvalue()


def test_import_garde_les_msp_et_centres_de_sante_et_rien_d_autre(territoires):
    sortie = importer(EXTRAIT)
    assert "9 établissements lus, 5 d'autres catégories ignorés" in sortie
    assert "2 maisons de santé et 2 centres de santé (4 nouveaux" in sortie
    par_numero = {s.finess: s for s in Structure.objects.select_related("commune")}
    assert sorted(par_numero) == ["230009901", "230009902", "790009904", "970209907"]
    # hospital, pharmacy, CPTS (604), EHPAD, and a Wallis hospital are not listed
    msp, cds = par_numero["230009901"], par_numero["970209907"]
    assert (msp.categorie, msp.commune_id) == ("603", "23079")
    assert msp.nom == "MAISON DE SANTÉ PLURIPROFESSIONNELLE DU PLATEAU (ESSAI)"  # cp1252 read
    assert msp.adresse == "2 R DES TAPISSIERS, 23500 FELLETIN"
    assert msp.ouverte_le.isoformat() == "2015-01-05" and not msp.fictive
    # FINESS "9B" + commune "213" is the INSEE code 97213
    assert (cds.categorie, cds.commune_id) == ("124", "97213")
    assert par_numero["230009902"].commune_id == "23096"
    assert par_numero["790009904"].commune_id == "79191"
    assert JeuDeDonnees.objects.est_charge("finess")


def test_positions_lambert_93_a_l_adresse_sinon_centre_de_la_commune(territoires):
    importer(EXTRAIT)
    par_numero = {s.finess: s for s in Structure.objects.all()}
    msp = par_numero["230009901"]  # geocoded in Lambert-93, 0.7 km from Felletin's centroid
    assert msp.position_adresse
    assert geo.haversine_km(msp.latitude, msp.longitude, 45.8880, 2.1900) < 0.01
    # no coordinates; UTM (overseas, not converted): the commune's centroid
    for numero, commune in [("230009902", "23096"), ("970209907", "97213")]:
        s = par_numero[numero]
        assert not s.position_adresse
        assert (s.latitude, s.longitude) == COMMUNES[commune][2:]


def test_lambert_93_sur_un_point_reel_de_l_extraction():
    # CH de Fleyriat, 900 route de Paris, Viriat (01451), geolocalisation line of the real
    # extract: 870215.7;6571590.5;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93
    lon, lat = geo.lambert93_vers_wgs84(870215.7, 6571590.5)
    viriat = (46.25096, 5.22281)  # the centroid of Viriat's outline
    assert geo.haversine_km(lat, lon, *viriat) < 4
    # the projection's origin: 3° E, 46.5° N is (700000, 6600000) by definition
    lon, lat = geo.lambert93_vers_wgs84(700000, 6600000)
    assert abs(lon - 3) < 1e-9 and abs(lat - 46.5) < 1e-9


def test_meme_fichier_deux_fois_rien_a_faire_puis_rechargement_idempotent(territoires):
    importer(EXTRAIT)
    avant = list(Structure.objects.order_by("finess").values())
    assert "déjà chargée : rien à faire" in importer(EXTRAIT)
    sortie = importer(EXTRAIT, "--force")
    assert "0 nouveaux, 4 mis à jour, 0 retirés" in sortie
    assert list(Structure.objects.order_by("finess").values()) == avant


def test_une_structure_que_l_extraction_ne_liste_plus_est_retiree_les_fictives_restent(
    territoires, tmp_path
):
    fictive = StructureFactory(finess="", fictive=True, commune=territoires["23079"])
    importer(EXTRAIT)
    lignes = EXTRAIT.read_bytes().split(b"\n")
    sans_niort = b"\n".join(
        ligne for ligne in lignes if not ligne.startswith(b"structureet;7900099")
    )
    (tmp_path / "e.csv").write_bytes(sans_niort)
    assert "3 mis à jour, 1 retirés" in importer(tmp_path / "e.csv")
    assert not Structure.objects.filter(finess="790009904").exists()
    assert Structure.objects.filter(pk=fictive.pk).exists()


def _avec(tmp_path, remplacer: dict[int, str]) -> Path:
    lignes = EXTRAIT.read_text(encoding="cp1252").split("\n")
    for numero, ligne in remplacer.items():
        lignes[numero - 1] = ligne
    fichier = tmp_path / "extrait.csv"
    fichier.write_text("\n".join(lignes), encoding="utf-8")
    return fichier


def _refus(fichier) -> str:
    with pytest.raises(CommandError) as erreur:
        importer(fichier)
    return str(erreur.value)


@pytest.mark.parametrize(
    ("numero", "modifier", "message"),
    [
        (5, lambda c: c.__setitem__(12, "999"), "ligne 5 : commune 79999 inconnue du guichet"),
        (5, lambda c: c.__setitem__(1, "79X"), "ligne 5 : numéro FINESS « 79X » invalide"),
        (3, lambda c: c.__setitem__(28, "31/31/2020"), "ligne 3 : date d'ouverture"),
        (5, lambda c: c.__delitem__(slice(20, None)), "ligne 5 : 20 champs au lieu de 32"),
        # Saint-Pierre-et-Miquelon, Wallis: not a territory of the portal, never guessed
        (8, lambda c: c.__setitem__(13, "9E"), "ligne 8 : département « 9E » et commune"),
        # 9B is Martinique: a commune code of another overseas département does not fit
        (8, lambda c: c.__setitem__(12, "413"), "ligne 8 : département « 9B » et commune « 413 »"),
    ],
)
def test_ligne_fautive_refus_numerote_et_rien_n_est_modifie(
    territoires, tmp_path, numero, modifier, message
):
    deja = StructureFactory(commune=territoires["23079"], nom="Déjà là")
    champs = EXTRAIT.read_text(encoding="cp1252").split("\n")[numero - 1].split(";")
    modifier(champs)
    texte = _refus(_avec(tmp_path, {numero: ";".join(champs)}))
    assert "Extraction FINESS refusée, rien n'a été modifié" in texte and message in texte
    assert list(Structure.objects.values_list("pk", flat=True)) == [deja.pk]
    assert not JeuDeDonnees.objects.est_charge("finess")


def test_autres_refus_en_tete_type_de_ligne_coordonnees(territoires, tmp_path):
    assert "ligne 1 : en-tête « finess;etalab;… » attendu" in _refus(
        _avec(tmp_path, {1: "nofinesset;rs;commune"})
    )
    assert "ligne 12 : type de ligne « adresse » inconnu" in _refus(
        _avec(tmp_path, {12: "adresse;230009902;x"})
    )
    texte = _refus(_avec(tmp_path, {11: "geolocalisation;230009901;abc;6532358.4;L;2025"}))
    assert "ligne 11 : coordonnées « abc ; 6532358.4 » illisibles" in texte
    doublon = EXTRAIT.read_text(encoding="cp1252").split("\n")[1]
    assert "ligne 3 : 230009901 déjà lu ligne 2" in _refus(_avec(tmp_path, {3: doublon}))
    assert Structure.objects.count() == 0


def test_une_ligne_fautive_d_une_autre_categorie_est_ignoree(territoires, tmp_path):
    # An EHPAD in Wallis-et-Futuna or with an unknown commune is not ours to check.
    champs = EXTRAIT.read_text(encoding="cp1252").split("\n")[8].split(";")
    champs[12], champs[13] = "999", "9E"
    importer(_avec(tmp_path, {9: ";".join(champs)}))
    assert Structure.objects.count() == 4


def test_fichier_introuvable(territoires, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        importer(tmp_path / "absent.csv")


@given(
    departement=st.sampled_from(["01", "19", "2A", "2B", "23", "79", "95"]),
    commune=st.integers(1, 999),
)
def test_code_insee_metropole(departement, commune):
    assert code_insee(departement, f"{commune:03d}") == f"{departement}{commune:03d}"


@given(dep=st.sampled_from(sorted(OUTRE_MER)), reste=st.integers(0, 99), chiffre=st.integers(0, 9))
def test_code_insee_outre_mer_seulement_si_la_commune_est_du_departement(dep, reste, chiffre):
    insee = OUTRE_MER[dep]
    commune = f"{chiffre}{reste:02d}"
    attendu = f"97{commune}" if str(chiffre) == insee[2] else None
    assert code_insee(dep, commune) == attendu


@given(st.text(max_size=4), st.text(max_size=4))
def test_code_insee_ne_devine_jamais(departement, commune):
    resultat = code_insee(departement, commune)
    assert resultat is None or (len(resultat) == 5 and resultat.endswith(commune))


_champ = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lignes=st.lists(
        st.tuples(
            st.sampled_from(["structureet", "geolocalisation", "autre", ""]),
            st.lists(_champ, max_size=34),
            st.sampled_from(["603", "124", "355"]),
        ),
        max_size=6,
    )
)
@pytest.mark.longue
def test_lire_refuse_proprement_toute_ligne(lignes):
    """Any content: the structures, or ErreurImport whose every message names its line."""
    texte = "finess;etalab;111;2026-05-12\n"
    for genre, champs, categorie in lignes:
        if genre == "structureet" and len(champs) > 18:
            champs[17] = categorie  # index 18 once the type is prepended
        texte += ";".join([genre, *champs]).replace("\n", " ").replace("\r", " ") + "\n"
    try:
        structures, figures = lire(texte)
    except ErreurImport as erreur:
        assert erreur.erreurs and all(re.match(r"ligne \d+ : ", e) for e in erreur.erreurs)
    else:
        assert figures["lues"] >= len(structures) and figures["lues"] > 0


@given(st.binary(max_size=200))
def test_tout_octet_se_decode(contenu):
    assert isinstance(_texte(contenu), str)
