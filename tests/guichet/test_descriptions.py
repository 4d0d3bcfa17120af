"""<meta name="description">: one per page, and its own on every page type the sitemap lists."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from tests import test_fuzz_urls
from tests.guichet.test_referencement import SITE, _toutes_les_adresses
from tests.test_fuzz_urls import _chemins, _motifs_publics

monde = test_fuzz_urls.monde  # real objects for every path converter (a fixture)

# The rendez-vous templates belong to another change: their entry page keeps the default.
DEFAUT_ADMIS = {"rendezvous:accueil"}

META = re.compile(r"<meta\s+name=\"description\"\s+content=\"([^\"]*)\"", re.I)


def _description(client, chemin):
    """The page's only description, or None when it is not an HTML page."""
    reponse = client.get(chemin)
    if reponse.status_code != 200 or not reponse["Content-Type"].startswith("text/html"):
        return None
    page = reponse.content.decode()
    metas = META.findall(page)
    assert len(metas) == 1, (chemin, metas)
    assert metas[0].strip(), chemin
    assert page.index(metas[0]) < page.index("</head>"), chemin
    return html.unescape(metas[0])


@pytest.mark.django_db
def test_chaque_page_a_une_seule_description(client, monde):
    """Every URL pattern, at one representative address, for an anonymous visitor."""
    vues = 0
    for nom, motif in _motifs_publics():
        chemins = _chemins(nom, motif, monde["reels"])
        if chemins and _description(client, chemins[0]) is not None:
            vues += 1
    assert vues > 30


@pytest.mark.django_db
def test_chaque_type_de_page_du_plan_a_sa_description(client, monde, settings):
    """One address per page type of sitemap.xml: each has its own description."""
    settings.SITE_URL = SITE
    representants = {}
    for adresse in _toutes_les_adresses(client):
        chemin = urlsplit(adresse).path
        representants.setdefault(resolve(chemin).view_name, chemin)
    assert {
        "aides:detail",
        "guichet:commune",
        "installation:etape",
        "installation:parcours",
        "demographie:territoire",
        "guichet:accueil",
    } <= set(representants)
    descriptions = {nom: _description(client, c) for nom, c in representants.items()}
    defaut = _description(client, reverse("account_login"))  # the layout's own description
    par_texte = {}
    for nom, texte in sorted(descriptions.items()):
        if nom not in DEFAUT_ADMIS:
            assert texte != defaut, f"{nom} garde la description par défaut"
        par_texte.setdefault(texte, []).append(nom)
    assert [noms for noms in par_texte.values() if len(noms) > 1] == []


@pytest.mark.django_db
def test_la_description_d_une_aide_est_son_resume(client, monde):
    from aides.models import Aide

    aide = Aide.objects.publiees().first()
    page = client.get(aide.get_absolute_url()).content.decode()
    assert html.unescape(META.search(page).group(1)) == aide.resume[:200]
