"""One breadcrumb component: components/_breadcrumb.html is the only breadcrumb markup, its
items written by one tag (lien_fil); every page's trail goes through it."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.aides.factories import AideFactory
from tests.installation.factories import EvenementFactory
from tests.rendezvous.factories import MotifFactory, PlageFactory, ReferentFactory, territoire

GABARITS = Path(settings.BASE_DIR) / "templates"


def test_un_seul_balisage_de_fil_d_ariane():
    avec_balisage = {
        str(g.relative_to(GABARITS))
        for g in GABARITS.rglob("*.html")
        if re.search(r'class="fr-breadcrumb(__link|__list)?"', g.read_text())
    }
    assert avec_balisage == {"components/_breadcrumb.html"}


def _fil(html):
    nav = re.search(r'<nav role="navigation" class="fr-breadcrumb".*?</nav>', html, re.S)[0]
    items = re.findall(r"<li><a[^>]*>(.*?)</a></li>", nav)
    return [unescape(re.sub(r"\s+", " ", t).strip()) for t in items]


@pytest.mark.django_db
def test_les_fils_des_pages_passent_par_le_composant(client):
    aide = AideFactory(nom="Contrat d'aide à l'installation", sigle="")
    evenement = EvenementFactory(titre="Forum de Niort")
    dep = territoire()
    referent = ReferentFactory(departements=[dep])
    PlageFactory(referent=referent, motifs=[MotifFactory()])
    pages = {
        aide.get_absolute_url(): ["Accueil", "Aides", "Contrat d'aide à l'installation"],
        evenement.get_absolute_url(): ["Accueil", "Agenda", "Forum de Niort"],
        reverse("rendezvous:motifs", args=[dep.code]): ["Accueil", "Rendez-vous", "Deux-Sèvres"],
        reverse("installation:accueil"): ["Accueil", "S'installer"],
    }
    for url, attendu in pages.items():
        html = client.get(url).content.decode()
        assert _fil(html) == attendu, url
        assert f'aria-current="page">{attendu[-1]}' in unescape(html), url
