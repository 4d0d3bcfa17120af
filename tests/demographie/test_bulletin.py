import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demographie import pdf, services, territoires
from demographie.models import Bulletin

pytest.importorskip("weasyprint")


def _titres(outline):
    for element in outline:
        if isinstance(element, list):
            yield from _titres(element)
        else:
            yield element.title


def _texte(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_bulletin_pdf_texte_metadonnees_balises(client, effectifs_martinique):
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    response = client.get("/demographie/bulletin/2025/departement/972.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.getvalue()))
    texte = _texte(reader)
    assert f"Page 1 sur {len(reader.pages)}" in texte
    assert "Bulletin 2025" in texte and "Sommaire" in texte
    assert "≥ 40" in texte and "20,0" in texte
    assert reader.metadata.title.startswith("Bulletin 2025 de démographie")
    racine = reader.trailer["/Root"]
    assert racine["/Lang"] == "fr"
    assert "/StructTreeRoot" in racine and racine["/MarkInfo"]["/Marked"]
    assert "Vue d'ensemble par profession" in _titres(reader.outline)  # headings → bookmarks
    polices = {
        f["/BaseFont"]
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Marianne" in p for p in polices)


@pytest.mark.django_db
def test_sommaire_avec_numeros_de_page(effectifs_martinique):
    from weasyprint import HTML

    from demographie import rapport

    r = rapport.construire(territoires.trouver("departement", "972"), toutes_sections=True)
    document = HTML(string=pdf.rendre_html(r), base_url=pdf.BASE_URL).render()
    ancres = {a for page in document.pages for a in page.anchors}
    assert {"essentiel", "vue-ensemble", "methode", "annexe", "profession-medecin-generaliste"} <= (
        ancres
    )


@pytest.mark.django_db
def test_premiere_page_numerotee(effectifs_martinique):
    contenu = services.bulletin_rendre(territoire=territoires.trouver("region", "02"), annee=2025)
    texte = _texte(PdfReader(io.BytesIO(contenu)))
    assert "Page 1 sur" in texte


@pytest.mark.django_db
def test_pas_de_donnees_pas_de_bulletin(client, effectifs_martinique):
    assert client.get("/demographie/bulletin/2019/departement/972.pdf").status_code == 404


@pytest.mark.django_db
def test_publication_fige_l_edition(client, effectifs_martinique, martinique, settings):
    bulletin = Bulletin.objects.create(
        annee=2025,
        niveau="region",
        region=martinique.region,
        code_territoire="02",
        faits_marquants="**Ouverture** d'une maison de santé.",
    )
    services.bulletin_publier(bulletin=bulletin)
    bulletin.refresh_from_db()
    assert bulletin.est_publie and bulletin.fichier.name.startswith("demographie/bulletins/")
    fige = bulletin.fichier.read()
    assert "Ouverture" in _texte(PdfReader(io.BytesIO(fige)))
    with pytest.raises(services.BulletinDejaPublie):
        services.bulletin_publier(bulletin=bulletin)
    from tests.factories import EffectifFactory

    EffectifFactory(departement=martinique, effectif=1000)  # later data: the edition stays
    response = client.get("/demographie/bulletin/2025/region/02.pdf")
    assert response.getvalue() == fige
    html = client.get("/demographie/bulletins/").content.decode()
    assert "/demographie/bulletin/2025/region/02.pdf" in html and "Martinique" in html


@pytest.mark.django_db
def test_generer_bulletins(effectifs_martinique):
    call_command(
        "generer_bulletins", "--annee", "2025", "--niveau", "departement", stdout=io.StringIO()
    )
    assert Bulletin.objects.publies().filter(niveau="departement", code_territoire="972").exists()


def test_le_fetcher_refuse_les_ressources_externes():
    fetcher = pdf.fetcher()
    for url in [
        "https://exemple.fr/x.css",
        "file:///etc/passwd",
        f"{pdf.BASE_URL}static/../../settings.py",
        f"{pdf.BASE_URL}autre/x",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    reponse = fetcher.fetch(f"{pdf.BASE_URL}static/dsfr/dist/fonts/Marianne-Regular.woff2")
    assert reponse.read(4) == b"wOF2"


def _boites(boite):
    yield boite
    for enfant in getattr(boite, "children", []):
        yield from _boites(enfant)


def _bords_du_texte(cellule):
    from weasyprint.formatting_structure.boxes import TextBox

    textes = [b for b in _boites(cellule) if isinstance(b, TextBox) and b.text.strip()]
    if not textes:
        return None
    return min(b.position_x for b in textes), max(b.position_x + b.width for b in textes)


def _colonnes_des_tableaux(html):
    """For every table of the laid-out PDF: column index -> [(text left, text right), ...]."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TableBox, TableCellBox

    document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.fetcher()).render()
    for page in document.pages:
        for table in (b for b in _boites(page._page_box) if isinstance(b, TableBox)):
            colonnes: dict[int, list] = {}
            for cellule in (b for b in _boites(table) if isinstance(b, TableCellBox)):
                bords = _bords_du_texte(cellule)
                if bords is not None and cellule.colspan == 1:
                    colonnes.setdefault(cellule.grid_x, []).append(bords)
            yield colonnes


@pytest.mark.django_db
def test_en_tete_et_valeurs_d_une_colonne_alignes(effectifs_martinique, deux_sevres):
    """In every table of the bulletin, the header and the values of a column share one edge:
    all their texts start at the same x (left-aligned) or all end at the same x (right)."""
    from demographie import rapport
    from tests.factories import EffectifFactory

    EffectifFactory(departement=deux_sevres, effectif=60)
    for t in (territoires.trouver("region", "02"), territoires.france()):
        r = rapport.construire(t, toutes_sections=True)
        verifiees = 0
        for colonnes in _colonnes_des_tableaux(pdf.rendre_html(r)):
            for i, bords in colonnes.items():
                if len(bords) < 2:
                    continue
                gauches = {round(g, 0) for g, _ in bords}
                droites = {round(d, 0) for _, d in bords}
                assert len(gauches) == 1 or len(droites) == 1, (t, i, bords)
                verifiees += 1
        assert verifiees > 20


@pytest.mark.django_db
def test_annexe_trois_tableaux_cote_a_cote(effectifs_martinique):
    """A profession's three data tables sit side by side in the annex, each whole and drawn
    once, with its caption, on every page. Three floated 56 mm columns were 0.2 mm too wide
    (every third table took a row of its own); floats across a page break let WeasyPrint leave
    a caption at the foot of a page and draw a table twice. Large type here forces a break
    between almost every row of tables."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import InlineBlockBox

    from demographie import rapport

    r = rapport.construire(territoires.trouver("region", "02"), toutes_sections=True)
    html = pdf.rendre_html(r)
    pages = []
    for style in ("", "<style>.annexe-colonnes table { font-size: 13pt; }</style>"):
        document = HTML(
            string=html.replace("</head>", f"{style}</head>"),
            base_url=pdf.BASE_URL,
            url_fetcher=pdf.fetcher(),
        ).render()
        vus, rangees, comptees = [], 0, set()
        for page in document.pages:
            for boite in _boites(page._page_box):
                if boite.element is None or "annexe-colonnes" not in boite.element.get("class", ""):
                    continue
                # (an anonymous block of the container carries its element too: count once)
                cases = [b for b in _boites(boite) if isinstance(b, InlineBlockBox)]
                if any(id(c) in comptees for c in cases):
                    continue
                comptees.update(id(c) for c in cases)
                assert len({round(c.position_y) for c in cases}) <= 1
                rangees += len(cases) >= 2
                vus += [c.element.get("id") for c in cases]
                for case in cases:  # the caption and the last row on the same page
                    textes = [b.text for b in _boites(case) if hasattr(b, "text")]
                    assert textes[0] == "Données :" or textes[0].startswith("Données"), textes
        attendus = sum(2 + bool(section.pyramide) for section in r.sections.values())
        assert len(vus) == len(set(vus)) == attendus, (len(vus), len(set(vus)), attendus)
        assert rangees == len(r.sections)
        pages.append(len(document.pages))
    assert pages[1] > pages[0]  # the large type did break the annex across more pages


@pytest.mark.django_db
def test_edition_nationale_sans_comparaison_a_elle_meme(effectifs_martinique, deux_sevres):
    from tests.factories import EffectifFactory

    EffectifFactory(departement=deux_sevres, effectif=60)
    contenu = services.bulletin_rendre(territoire=territoires.france(), annee=2025)
    texte = _texte(PdfReader(io.BytesIO(contenu)))
    assert "Écart à la France" not in texte and "Densité France" not in texte
    assert "+0,0 %" not in texte and "+0,0\u00a0%" not in texte
    assert "Carte des densités par département" in texte  # the map of France


@pytest.mark.django_db
def test_region_monodepartementale_montree_une_fois(effectifs_martinique, communes_martinique):
    from demographie import rapport

    r = rapport.construire(territoires.trouver("region", "02"), toutes_sections=True)
    noms = [ligne[0] for ligne in r.sections["medecin-generaliste"].comparaison.lignes]
    assert "Martinique" in noms and "Martinique (972)" not in noms
    assert r.unite_carte == "commune" and "97209" in r.unites_carte  # its communes, on a map
    carte = r.sections["medecin-generaliste"].carte
    # Fort-de-France 110 / 80 000; Le Lamentin has a masked cell: a minimum, not on the map
    assert ["Fort-de-France", "137,5", "toutes valeurs"] in carte.lignes
    assert ["Le Lamentin", "—", "—"] in carte.lignes
    r = rapport.construire(territoires.trouver("departement", "972"), toutes_sections=True)
    assert [t.nom for t in r.territoire.chaine()] == ["Martinique (972)", "France"]


@pytest.mark.django_db
def test_constats_chiffres_et_pacte_historique(effectifs_martinique, martinique):
    from demographie import rapport
    from demographie.models import IndicateurDispositif

    IndicateurDispositif.objects.create(
        annee=2016,
        region=martinique.region,
        indicateur="ptmg_contrats_signes",
        valeur=1,
        source="Pacte territoire santé, bilan fin 2016",
    )
    r = rapport.construire(territoires.trouver("region", "02"), toutes_sections=True)
    # GPs: 40 known in 2025, 36 in 2024, 50 in 2020 → +11,1 % in 1 year, −20,0 % in 5 years
    # (a no-break space keeps % on its number)
    assert "Sur un an, l'effectif des médecins généralistes a évolué de +11,1\u00a0%." in r.constats
    moins = "\u2212"  # the minus sign, not a hyphen
    phrase = f"Sur cinq ans, l'effectif des médecins généralistes a évolué de {moins}20,0\u00a0%."
    assert phrase in r.constats
    assert any("25,0\u00a0% des médecins généralistes ont 60 ans ou plus" in c for c in r.constats)
    texte = _texte(PdfReader(io.BytesIO(pdf.rendre_pdf(r))))
    assert "Constats" in texte and "+11,1\u00a0%" in texte
    assert "bilan national du Pacte territoire santé arrêté fin 2016" in texte
    assert "Clos en 2020" in texte


CADRES = {"chiffres-resume", "chiffres-profession"}


@pytest.mark.django_db
def test_chiffres_cles_tiennent_dans_leur_cadre(effectifs_martinique, deux_sevres):
    """Every key-figure box of the bulletin holds its text: no line runs below its grey box
    (fixed heights let a three-line detail spill onto the next heading)."""
    from weasyprint import HTML

    from demographie import rapport
    from tests.factories import EffectifFactory

    EffectifFactory(departement=deux_sevres, effectif=60, profession="masseur-kinesitherapeute")
    for t in (territoires.trouver("region", "02"), territoires.france()):
        html = pdf.rendre_html(rapport.construire(t, toutes_sections=True))
        document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.fetcher()).render()
        cadres = 0
        for page in document.pages:
            for liste in _boites(page._page_box):
                element = getattr(liste, "element", None)
                classes = set(((element is not None and element.get("class")) or "").split())
                if liste.element_tag != "ul" or not CADRES & classes:
                    continue
                for cadre in (b for b in _boites(liste) if b.element_tag == "li"):
                    if not hasattr(cadre, "border_height"):
                        continue
                    bas = cadre.position_y + cadre.margin_top + cadre.border_height()
                    for texte in _boites(cadre):
                        if getattr(texte, "text", "").strip():
                            assert texte.position_y + texte.height <= bas + 0.5, (t, texte.text)
                    cadres += 1
        assert cadres >= 6


LIBELLES = {"figcaption", "caption", "th", "h1", "h2", "h3", "annexe-liste", *CADRES}


def _coupures(boite, ancetres=()):
    """Text lines ending on a hyphen that the layout inserted, with their ancestors' tags."""
    element = getattr(boite, "element", None)
    classes = ((element is not None and element.get("class")) or "").split()
    tags = (*ancetres, boite.element_tag, *classes)
    texte = getattr(boite, "text", None)
    if texte is not None and texte.endswith(("\u2010", "\xad")):
        yield texte, tags
    for enfant in getattr(boite, "children", []):
        yield from _coupures(enfant, tags)


@pytest.mark.django_db
def test_libelles_jamais_coupes(effectifs_martinique, deux_sevres):
    """Captions, table headers, headings and key figures are never hyphenated ("don-nées"):
    only running text may break a word."""
    from weasyprint import HTML

    from demographie import rapport

    for t in (territoires.trouver("region", "02"), territoires.france()):
        html = pdf.rendre_html(rapport.construire(t, toutes_sections=True))
        document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.fetcher()).render()
        for page in document.pages:
            for texte, tags in _coupures(page._page_box):
                assert not LIBELLES & set(tags), (t, texte, tags)


@pytest.mark.django_db
def test_annexe_carte_nomme_les_communes_sans_professionnel(
    effectifs_martinique, communes_martinique, martinique
):
    """A commune whose every density is known and zero, or every one unknown, is named in a
    list under the maps' table, not given a row of "0,0" or dashes: the annex of a rural
    département was pages of zeros. A commune with one known density keeps its row."""
    from demographie import rapport
    from tests.factories import CommuneFactory, EffectifFactory, PopulationFactory

    commune = CommuneFactory(  # known to have no one of the seven professions
        code="97201", nom="L'Ajoupa-Bouillon", departement=martinique, population=1_500
    )
    for profession in rapport.PROFESSIONS_PRINCIPALES:
        EffectifFactory(
            niveau="commune",
            commune=commune,
            code_territoire="97201",
            departement=martinique,
            profession=profession,
            tranche_age="inconnu",
            sexe="inconnu",
            mode_exercice="liberal",
            effectif=0,
            source=effectifs_martinique,
        )
    PopulationFactory(
        annee=2025,
        niveau="commune",
        commune=commune,
        code_territoire="97201",
        departement=martinique,
        population=1_500,
    )
    anses = CommuneFactory(code="97202", nom="Les Anses-d'Arlet", departement=martinique)
    EffectifFactory(
        niveau="commune",
        commune=anses,
        code_territoire="97202",
        departement=martinique,
        tranche_age="inconnu",
        sexe="inconnu",
        mode_exercice="liberal",
        effectif=0,
        source=effectifs_martinique,
    )
    PopulationFactory(
        annee=2025,
        niveau="commune",
        commune=anses,
        code_territoire="97202",
        departement=martinique,
        population=3_500,
    )
    r = rapport.construire(territoires.trouver("region", "02"), toutes_sections=True)
    tableau = r.tableau_carte
    assert [nom for nom, _ in tableau.lignes] == ["Fort-de-France"]
    assert [(len(g.inconnues), g.noms) for g in tableau.groupes] == [
        (0, ["L'Ajoupa-Bouillon"]),
        (6, ["Les Anses-d'Arlet"]),  # no general practitioner, the others unknown
        (7, ["Le Lamentin"]),
    ]
    html = pdf.rendre_html(r)
    sans = "de ces 7 professions, densité 0 sur chaque carte (1) :</strong> L&#x27;Ajoupa-Bouillon."
    assert f"Communes sans aucun professionnel {sans}" in html
    assert "de densité inconnue ou masquée pour Médecin spécialiste, Chirurgien-dentiste" in html
    assert "nulle pour les autres professions (1) :</strong> Les Anses-d&#x27;Arlet." in html
    # Le Lamentin has at least 30 general practitioners (a masked cell): unknown, never "no one"
    (lamentin,) = re.findall(r'<p class="annexe-liste">[^\n]*Le Lamentin\.</p>', html)
    assert "chacune de ces 7 professions (1) :" in lamentin and "sans aucun" not in lamentin
    # every "données en annexe" link of the bulletin leads somewhere, the maps' one included
    cibles = set(re.findall(r'href="#([^"]+)"', html))
    assert "donnees-cartes" in cibles and cibles <= set(re.findall(r' id="([^"]+)"', html))


@pytest.mark.django_db
def test_carte_de_france_du_bulletin_aux_contours_d_impression(effectifs_martinique, deux_sevres):
    """The bulletin (every section) draws France with the lighter print outlines; the web page
    keeps the detailed ones."""
    from demographie import contours, rapport
    from tests.factories import EffectifFactory

    EffectifFactory(departement=deux_sevres, effectif=60)
    france = territoires.france()
    bulletin = rapport.construire(france, annee=2025, toutes_sections=True)
    page = rapport.construire(france, annee=2025)
    imprime, ecran = contours.departements_impression()["79"], contours.departements()["79"]
    assert imprime.chemin != ecran.chemin and len(bulletin.sections) > 1
    for section in bulletin.sections.values():
        assert imprime.chemin in section.carte.svg and ecran.chemin not in section.carte.svg
    (section_page,) = page.sections.values()
    assert ecran.chemin in section_page.carte.svg


@pytest.mark.django_db
def test_graphiques_du_bulletin_en_images(effectifs_martinique, deux_sevres):
    """The bulletin's charts and maps are <img> of their SVG (WeasyPrint then computes no HTML
    style for the SVG's elements), each named by its title and description; the PDF tags each
    as a figure with that text as /Alt."""
    from django.utils.html import escape

    from demographie import rapport
    from tests.factories import EffectifFactory

    EffectifFactory(departement=deux_sevres, effectif=60)
    r = rapport.construire(territoires.france(), annee=2025, toutes_sections=True)
    html = pdf.rendre_html(r)
    assert "<svg" not in html
    graphiques = [g for section in r.sections.values() for g in section.graphiques]
    assert len(graphiques) >= 3 * len(r.sections)
    for g in graphiques:
        assert f'src="{g.image}" alt="{escape(g.texte_alternatif)}"' in html
    reader = PdfReader(io.BytesIO(pdf.rendre_pdf(r)))
    alternatifs = []
    a_voir = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while a_voir:
        noeud = a_voir.pop()
        if hasattr(noeud, "get_object"):
            noeud = noeud.get_object()
        if isinstance(noeud, list):
            a_voir.extend(noeud)
        elif isinstance(noeud, dict):
            if noeud.get("/S") == "/Figure":
                alternatifs.append(str(noeud.get("/Alt")))
            a_voir.extend(v for k, v in noeud.items() if k == "/K")
    assert graphiques[0].texte_alternatif in alternatifs
