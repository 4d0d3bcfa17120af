"""Hotspots found by `make bench`: shared form renderer, site configuration, pagination."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from aides.forms import SimulateurForm
from demographie.forms import TerritoireForm


def test_les_formulaires_dsfr_partagent_un_seul_rendu():
    premier, second = SimulateurForm(), TerritoireForm()
    assert premier.renderer is second.renderer
    assert premier.renderer.engine is SimulateurForm().renderer.engine


@pytest.mark.django_db
def test_la_configuration_dsfr_n_est_lue_qu_une_fois(client):
    client.get("/")
    with CaptureQueriesContext(connection) as requetes:
        assert client.get("/").status_code == 200
    assert not [q for q in requetes.captured_queries if "dsfr_dsfrconfig" in q["sql"]]


@pytest.mark.django_db
def test_la_configuration_dsfr_modifiee_est_relue(client):
    from dsfr.models import DsfrConfig

    client.get("/")
    DsfrConfig.objects.create(language="fr", site_title="Titre", notice_title="Avis du jour")
    assert "Avis du jour" in client.get("/").content.decode()


@pytest.mark.django_db
def test_la_pagination_montre_une_fenetre_de_pages(rf):
    page = Paginator(range(2000), 12).get_page(80)
    html = render_to_string(
        "components/_pagination.html", {"page_obj": page}, request=rf.get("/aides/?page=80")
    )
    assert 'title="Page 167"' in html  # the last page
    assert 'title="Page 78"' in html and 'title="Page 82"' in html
    assert 'title="Page 40"' not in html
    assert html.count('title="Page ') <= 9
    assert html.count("…") == 2


def test_le_markdown_d_un_meme_texte_n_est_rendu_qu_une_fois():
    from guichet.text import markdown_sur

    texte = "Un **texte** <script>alert(1)</script> d'étape"
    assert markdown_sur(texte) is markdown_sur(texte)
    assert "<script>" not in markdown_sur(texte)
    assert markdown_sur(texte + " modifié") != markdown_sur(texte)


@pytest.mark.django_db
def test_la_page_de_reference_du_banc_n_existe_pas_hors_du_banc(client):
    assert client.get("/_bench/reference/").status_code == 404
