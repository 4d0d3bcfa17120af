"""Anonymous status-code matrix over every public URL name, and the page layout."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Every URL name of the portal's own namespaces, with what an anonymous visitor gets.
MATRICE = {
    "guichet:accueil": 200,
    "guichet:professionnels": 200,
    "guichet:etudiants_internes": 200,
    "guichet:elus_collectivites": 200,
    "guichet:porteurs_de_projet": 200,
    "guichet:plan_du_site": 200,
    "guichet:accessibilite": 200,
    "guichet:mentions_legales": 200,
    "guichet:donnees_personnelles": 200,
    "guichet:cookies": 200,
    "guichet:communes": 200,
    "guichet:commune": (404, {"code": "00000"}),
    "guichet:recherche": 200,
    "guichet:mon_compte": 302,
    "guichet:mes_donnees": 302,
    "guichet:supprimer_mon_compte": 302,
    "question:poser": 200,
    "question:envoyee": 302,
    "aides:liste": 200,
    "aides:export_csv": 200,
    "aides:export_json": 200,
    "aides:simulateur": 200,
    "aides:simulation_enregistrer": 302,
    "aides:detail": (200, {"slug": "aide-de-la-matrice"}),
    "aides:apercu": (404, {"slug": "aide-de-la-matrice"}),
    "installation:accueil": 200,
    "installation:contacts": 200,
    "installation:documents": 200,
    "installation:document_telecharger": (200, {"pk": 1, "nom": "document-de-la-matrice.pdf"}),
    "installation:mon_plan": 302,
    "installation:plan": (302, {"pk": 1}),
    "installation:plan_pdf": (302, {"pk": 1}),
    "installation:plan_csv": (302, {"pk": 1}),
    "installation:plan_etape": (302, {"pk": 1, "etape_pk": 1}),
    "installation:parcours": (200, {"slug": "parcours-de-la-matrice"}),
    "installation:plan_commencer": (302, {"slug": "parcours-de-la-matrice"}),
    "installation:dossier_zip": (200, {"slug": "parcours-de-la-matrice"}),
    "installation:etape": (200, {"slug": "parcours-de-la-matrice", "etape_slug": "etape"}),
    "agenda:accueil": 200,
    "agenda:evenement": (200, {"pk": 1}),
    "agenda:evenement_ics": (200, {"pk": 1}),
    "agenda:region_ics": (200, {"code": "75"}),
    "rendezvous:accueil": 200,
    "rendezvous:motifs": (200, {"departement": "79"}),
    "rendezvous:creneaux": (200, {"departement": "79", "motif": "premier-entretien"}),
    "rendezvous:reserver": (404, {"departement": "79", "motif": "premier-entretien"}),
    "rendezvous:confirmation": (404, {"uuid": "6f0c1a52-3b7e-4a8e-9a51-0c2d3e4f5a6b"}),
    "rendezvous:gerer": (404, {"jeton": "inconnu"}),
    "rendezvous:gerer_deplacer": (404, {"jeton": "inconnu"}),
    "rendezvous:agenda": 302,
    "rendezvous:agenda_jour": (302, {"jour": datetime.date(2026, 12, 7)}),
    "rendezvous:agenda_semaine": (302, {"jour": datetime.date(2026, 12, 7)}),
    "rendezvous:agenda_deplacer": (302, {"uuid": "6f0c1a52-3b7e-4a8e-9a51-0c2d3e4f5a6b"}),
    "rendezvous:agenda_export": 302,
    "rendezvous:agenda_nouveau_jeton": 302,
    "rendezvous:agenda_statut": (302, {"uuid": "6f0c1a52-3b7e-4a8e-9a51-0c2d3e4f5a6b"}),
    "rendezvous:flux_ical": (404, {"jeton": "inconnu"}),
    "demographie:accueil": 200,
    "demographie:territoire": 200,
    "demographie:territoire_csv": 200,
    "demographie:bulletin_pdf": 302,
    "demographie:bulletins": 200,
    "healthz": 200,
}
NAMESPACES = {"guichet", "aides", "installation", "agenda", "rendezvous", "demographie", "question"}


def _noms_d_url(resolver=None, prefixe=""):
    resolver = resolver or get_resolver()
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            ns = motif.namespace
            if ns in NAMESPACES:
                yield from _noms_d_url(motif, f"{ns}:")
        elif isinstance(motif, URLPattern) and motif.name:
            if prefixe or motif.name == "healthz":
                yield f"{prefixe}{motif.name}"


def test_la_matrice_couvre_toutes_les_urls_publiques():
    assert set(_noms_d_url()) == set(MATRICE)


@pytest.mark.django_db
@pytest.mark.parametrize(("nom", "attendu"), sorted(MATRICE.items()))
def test_statut_anonyme(client, pages_editoriales, nom, attendu):
    from tests.aides.factories import AideFactory
    from tests.rendezvous.factories import MotifFactory, territoire

    AideFactory(slug="aide-de-la-matrice")
    _contenu_installation()
    territoire("79")
    MotifFactory(slug="premier-entretien")
    statut, kwargs = attendu if isinstance(attendu, tuple) else (attendu, {})
    assert client.get(reverse(nom, kwargs=kwargs)).status_code == statut


@pytest.mark.django_db
def test_accueil_dsfr_avec_entrees_par_public(client, pages_editoriales, settings):
    settings.ARS_NOM = "Agence régionale de santé Martinique"
    html = client.get("/").content.decode()
    assert 'class="fr-header"' in html and "République<br>Française" in html
    assert "Agence régionale de santé Martinique" in html
    for libelle in [
        "Aides",
        "S'installer",
        "Rendez-vous",
        "Démographie",
        "Étudiants et internes",
        "Élus et collectivités",
    ]:
        assert f">{libelle}</a>" in html.replace("&#x27;", "'")
    for url in [
        "/professionnels/",
        "/etudiants-internes/",
        "/elus-collectivites/",
        "/porteurs-de-projet/",
    ]:
        assert f'href="{url}"' in html
    for url in [
        "/plan-du-site/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/cookies/",
    ]:
        assert f'href="{url}"' in html
    assert 'role="search"' in html
    assert "Accessibilité : non conforme" in html


@pytest.mark.django_db
def test_page_editee_par_l_equipe_est_assainie(client, pages_editoriales):
    from guichet.models import PageEditoriale

    page = PageEditoriale.objects.get(cle="mentions-legales")
    page.contenu = "## Éditeur\n\n<script>alert(1)</script>[lien](javascript:alert(1)) **gras**"
    page.save()
    html = client.get(reverse("guichet:mentions_legales")).content.decode()
    assert "<h2>Éditeur</h2>" in html
    assert "<strong>gras</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


@pytest.mark.django_db
def test_fil_d_ariane(client, pages_editoriales):
    html = client.get(reverse("guichet:cookies")).content.decode()
    assert 'class="fr-breadcrumb"' in html
    assert 'aria-current="page">Gestion des cookies<' in html


@pytest.mark.django_db
def test_page_404_dsfr(client):
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html and 'class="fr-header"' in html


@pytest.mark.django_db
def test_page_500_dsfr(client):
    from guichet.views import erreur_500

    response = erreur_500(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


@pytest.mark.django_db
def test_page_403_dsfr(client):
    from guichet.views import erreur_403

    response = erreur_403(client.get("/").wsgi_request)
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@pytest.mark.django_db
def test_recherche_dans_les_pages(client, pages_editoriales):
    html = client.get(reverse("guichet:recherche"), {"q": "defenseur des droits"}).content
    assert "Déclaration d&#x27;accessibilité" in html.decode()
    vide = client.get(reverse("guichet:recherche"), {"q": "xyzzy"}).content.decode()
    assert "0 résultat pour" in vide


@pytest.mark.django_db
def test_healthz_verifie_la_base(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def _contenu_installation():
    """A parcours, a step, a document and an event with the keys of the matrix."""
    from tests.installation.factories import (
        DocumentFactory,
        EtapeFactory,
        EvenementFactory,
        ParcoursFactory,
    )

    parcours = ParcoursFactory(slug="parcours-de-la-matrice")
    etape = EtapeFactory(parcours=parcours, slug="etape")
    DocumentFactory(pk=1, titre="Document de la matrice", etapes=[etape])
    EvenementFactory(pk=1)
