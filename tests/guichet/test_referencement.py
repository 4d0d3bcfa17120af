"""sitemap.xml, robots.txt, security.txt and favicon.ico: the portal found like a public service."""

import datetime
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse

from guichet.models import Commune
from tests.aides.factories import AideFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory
from tests.installation.factories import EtapeFactory
from tests.test_fuzz_urls import _convertisseurs, _motifs_publics, _reversible

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://installation-sante.example.fr"  # not the Site's domain: SITE_URL wins


def _locs(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    assert reponse["Content-Type"].startswith("application/xml")
    return [e.text for e in ET.fromstring(reponse.content).iterfind(".//s:loc", NS)]


def _toutes_les_adresses(client):
    """Every address of every section, following the index (pages of a section included)."""
    adresses = []
    for section in _locs(client, "/sitemap.xml"):
        assert section.startswith(SITE + "/sitemap-"), section
        morceaux = urlsplit(section)
        adresses += _locs(client, f"{morceaux.path}?{morceaux.query}")
    return adresses


def _robots(client):
    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())
    return robots


@pytest.fixture
def contenu(db, pages_editoriales, settings):
    settings.SITE_URL = SITE
    region = RegionFactory(nouvelle_aquitaine=True)
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=region)
    CommuneFactory(code="79191", nom="Niort", departement=dep)
    CommuneFactory(code="79049", nom="Bressuire", departement=dep)
    return {
        "publiee": AideFactory(slug="aide-publiee"),
        "brouillon": AideFactory(slug="aide-brouillon", statut_publication="brouillon"),
        "etape": EtapeFactory(),
    }


def test_chaque_page_publique_sans_parametre_est_dans_le_plan_ou_fermee_aux_robots(client, contenu):
    """Every URL pattern without parameters that shows an anonymous visitor an HTML page is in
    sitemap.xml or under a Disallow of robots.txt, never both."""
    adresses = {urlsplit(a).path for a in _toutes_les_adresses(client)}
    robots = _robots(client)
    oubliees, verrouillees, vues = [], [], 0
    for nom, motif in _motifs_publics():
        if _convertisseurs(motif) or not _reversible(nom, {}):
            continue
        chemin = reverse(nom)
        reponse = client.get(chemin)
        if reponse.status_code != 200 or not reponse["Content-Type"].startswith("text/html"):
            continue
        vues += 1
        permis = robots.can_fetch("*", SITE + chemin)
        if permis and chemin not in adresses:
            oubliees.append(chemin)
        if not permis and chemin in adresses:
            verrouillees.append(chemin)
    assert vues > 20
    assert oubliees == []
    assert verrouillees == []
    for chemin in [
        "/",
        "/aides/",
        "/aides/simulateur/",
        "/plan-du-site/",
        "/demographie/",
        "/mentions-legales/",
        "/installation/",
        "/rendez-vous/",
    ]:
        assert chemin in adresses


@pytest.mark.longue
def test_le_plan_ne_liste_que_le_contenu_public_en_adresses_absolues(client, contenu):
    adresses = _toutes_les_adresses(client)
    assert all(a.startswith(SITE + "/") for a in adresses)
    assert len(adresses) == len(set(adresses))
    chemins = {urlsplit(a).path for a in adresses}
    assert contenu["publiee"].get_absolute_url() in chemins
    assert contenu["brouillon"].get_absolute_url() not in chemins
    assert contenu["etape"].get_absolute_url() in chemins
    assert contenu["etape"].parcours.get_absolute_url() in chemins
    assert {"/communes/79191/", "/communes/79049/"} <= chemins
    assert {"/demographie/france/", "/demographie/departement/79/"} <= chemins
    # Every listed address answers 200 to an anonymous visitor, and robots may fetch it. The
    # test database holds all 34,875 communes: their pages (one pattern) are read for this
    # test's two communes and a fixed sample of 60 others (the whole list is in the sitemap).
    communes = sorted(c for c in chemins if c.startswith("/communes/"))
    echantillon = {
        "/communes/79191/",
        "/communes/79049/",
        *communes[:: max(1, len(communes) // 60)],
    }
    robots = _robots(client)
    for chemin in sorted(c for c in chemins if c not in communes or c in echantillon):
        assert client.get(chemin).status_code == 200, chemin
        assert robots.can_fetch("*", SITE + chemin), chemin


def test_une_etape_d_un_parcours_non_publie_n_est_pas_dans_le_plan(client, contenu):
    etape = EtapeFactory(parcours__statut_publication="brouillon")
    chemins = {urlsplit(a).path for a in _toutes_les_adresses(client)}
    assert etape.get_absolute_url() not in chemins
    assert etape.parcours.get_absolute_url() not in chemins


def test_une_page_editoriale_non_publiee_n_est_pas_dans_le_plan(client, contenu):
    from guichet.models import PageEditoriale

    PageEditoriale.objects.filter(cle__in=["cookies", "accueil", "plan-du-site"]).update(
        statut_publication="brouillon"
    )
    chemins = {urlsplit(a).path for a in _toutes_les_adresses(client)}
    assert "/cookies/" not in chemins
    assert {"/mentions-legales/", "/", "/plan-du-site/"} <= chemins  # shown without their text


@pytest.mark.django_db
def test_le_plan_a_toutes_les_communes_en_pages_de_5000(client, territoires_complets, settings):
    settings.SITE_URL = SITE
    debut = time.perf_counter()
    sections = _locs(client, "/sitemap.xml")
    communes = [s for s in sections if "/sitemap-communes.xml" in s]
    nombre = Commune.objects.count()
    assert nombre > 34_000
    assert len(communes) == -(-nombre // 5000)  # pages of at most 5,000 addresses
    codes = []
    for section in communes:
        morceaux = urlsplit(section)
        adresses = _locs(client, f"{morceaux.path}?{morceaux.query}")
        codes += [urlsplit(a).path.split("/")[2] for a in adresses]
    duree = time.perf_counter() - debut
    assert sorted(codes) == sorted(Commune.objects.values_list("code", flat=True))
    print(f"\nsitemap : index et {len(communes)} pages de communes en {duree:.2f} s")
    assert duree < 10


@pytest.mark.django_db
def test_une_page_de_communes_en_requetes_constantes(
    client, territoires_complets, django_assert_max_num_queries
):
    # Site, count, one page, DSFR configuration, the content version (whole-page cache)
    with django_assert_max_num_queries(6):
        assert client.get("/sitemap-communes.xml?p=2").status_code == 200


def test_robots_ferme_les_zones_privees_et_donne_le_plan(client, contenu, settings):
    reponse = client.get("/robots.txt")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {SITE}/sitemap.xml" in reponse.content.decode()
    robots = _robots(client)
    fermes = [
        f"/{settings.ADMIN_URL}",
        "/espace-ars/",
        "/comptes/login/",
        "/compte/",
        "/installation/mon-plan/",
        "/rendez-vous/agenda/",
        "/recherche/?q=x",
    ]
    for chemin in fermes:
        assert not robots.can_fetch("*", SITE + chemin), chemin
    for chemin in ["/", "/aides/", "/communes/79191/", "/demographie/region/75/"]:
        assert robots.can_fetch("*", SITE + chemin), chemin


def test_security_txt_selon_la_rfc_9116(client, contenu, settings):
    settings.SECURITE_CONTACT = "securite@ars.example.fr"
    reponse = client.get("/.well-known/security.txt")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/plain; charset=utf-8"
    champs = dict(ligne.split(": ", 1) for ligne in reponse.content.decode().splitlines() if ligne)
    assert champs["Contact"] == "mailto:securite@ars.example.fr"
    assert champs["Preferred-Languages"] == "fr"
    assert champs["Canonical"] == f"{SITE}/.well-known/security.txt"
    expire = datetime.datetime.strptime(champs["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.UTC
    )
    dans = expire - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=364) < dans <= datetime.timedelta(days=366)
    settings.SECURITE_CONTACT = "https://ars.example.fr/signaler"
    assert (
        "Contact: https://ars.example.fr/signaler"
        in client.get("/.well-known/security.txt").content.decode()
    )


def test_sans_contact_pas_de_security_txt(client, contenu, settings):
    settings.SECURITE_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404


def test_favicon(client, contenu):
    reponse = client.get("/favicon.ico")
    assert reponse.status_code == 302
    assert reponse["Location"].endswith("/dsfr/dist/favicon/favicon.ico")
    assert "max-age=86400" in reponse["Cache-Control"]


def test_l_index_lit_chaque_section_datee_une_fois(client, contenu, django_assert_max_num_queries):
    """A section with dates (aids, posts) is read once for the index: its latest date and its
    page count come from the same list (Django would count it again)."""
    from django.core.cache import caches

    from aides.models import Aide

    Aide.objects.filter(pk=contenu["publiee"].pk).update(
        modifie_le=datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
    )
    client.get("/sitemap.xml")  # the options every page reads (DSFR configuration) kept
    caches["pages"].clear()
    with django_assert_max_num_queries(10) as requetes:
        reponse = client.get("/sitemap.xml")
    assert reponse["X-Cache-Page"] == "miss"
    sql = [q["sql"] for q in requetes.captured_queries]
    assert sum('FROM "aides_aide"' in q for q in sql) == 1
    assert not any('COUNT(*) AS "__count" FROM "aides_aide"' in q for q in sql)
    index = ET.fromstring(reponse.content)
    dates = {
        e.find("s:loc", NS).text.rsplit("/", 1)[1]: e.find("s:lastmod", NS)
        for e in index.iterfind("s:sitemap", NS)
    }
    assert dates["sitemap-aides.xml"].text.startswith("2026-11-30")
