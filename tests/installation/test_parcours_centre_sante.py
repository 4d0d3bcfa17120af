"""The centre de santé parcours of the real fixture: a collective project with its own phases,
its own actors, a source and a legal basis on every step, offered to elected officials."""

import re

import pytest
from django.urls import reverse

from installation import services
from installation.models import Parcours

pytestmark = pytest.mark.django_db

PHASES_CENTRE_SANTE = [
    "cds-gestionnaire",
    "cds-projet",
    "cds-moyens",
    "cds-declaration",
    "cds-fonctionnement",
]


@pytest.fixture
def centre_sante(territoires_complets):
    from aides.services import catalogue_charger

    catalogue_charger(force=True)
    services.parcours_charger(force=True)
    return Parcours.objects.get(slug="creer-centre-sante")


def test_phases_dans_l_ordre_et_acteurs_propres(centre_sante):
    etapes = list(centre_sante.etapes.order_by("ordre"))
    phases = list(dict.fromkeys(e.phase for e in etapes))
    assert phases == PHASES_CENTRE_SANTE
    # The MSP phases (a validated projet de santé, a SISA) are not those of a centre de santé.
    msp = Parcours.objects.get(slug="creer-maison-sante-pluriprofessionnelle")
    assert not set(phases) & set(msp.etapes.values_list("phase", flat=True))
    acteurs = {e.organisation.code for e in etapes}
    assert {"ars", "gestionnaire-centre-sante", "assurance-maladie"} <= acteurs
    # The declaration to the ARS comes before the adhesion to the accord national.
    slugs = [e.slug for e in etapes]
    assert slugs.index("engagement-conformite-ars") < slugs.index("adherer-accord-national")
    assert "elus-collectivites" in centre_sante.publics
    assert "porteurs-de-projet" in centre_sante.publics


def test_chaque_etape_a_une_source_et_une_base_legale(centre_sante):
    for etape in centre_sante.etapes.all():
        assert re.search(r"Sources? : \[[^\]]+\]\(https://", etape.description), etape.slug
        assert "Base légale :" in etape.description, etape.slug
    textes = " ".join(centre_sante.etapes.values_list("description", flat=True))
    for reference in ["L.6323-1-3", "L.6323-1-11", "D.6323-9", "FINESS", "L.162-32-1"]:
        assert reference in textes, reference
    # every legal reference was checked: none is left "à vérifier" for the reader
    assert "vérifier" not in (centre_sante.introduction + textes).replace("vérifier le zonage", "")


def test_etape_rendue_avec_liste_et_renvoi_nomme(client, centre_sante):
    etape = centre_sante.etapes.get(slug="locaux-centre-sante")
    html = client.get(etape.get_absolute_url()).content.decode()
    assert "<li>" in html and "[[" not in html
    assert "detr-equipements-sante" not in re.sub(r'href="[^"]*"', "", html)
    assert reverse("aides:detail", args=["detr-equipements-sante"]) in html


@pytest.mark.parametrize("url_name", ["guichet:elus_collectivites", "guichet:porteurs_de_projet"])
def test_espaces_elus_et_porteurs_renvoient_au_parcours(
    client, pages_editoriales, centre_sante, url_name
):
    html = client.get(reverse(url_name)).content.decode()
    assert reverse("installation:parcours", args=["creer-centre-sante"]) in html
    assert "Créer un centre de santé" in html
    assert (
        reverse("installation:parcours", args=["creer-maison-sante-pluriprofessionnelle"]) in html
    )
