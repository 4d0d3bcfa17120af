"""Drafts and archived content never show publicly; "mis à jour le" does."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.models import PageEditoriale
from guichet.publication import StatutPublication
from tests.installation.factories import DocumentFactory, EtapeFactory, ParcoursFactory


@pytest.mark.parametrize("statut", ["brouillon", "archivee"])
def test_parcours_non_publie_invisible(client, db, statut):
    parcours = ParcoursFactory(titre="Parcours caché", statut_publication=statut)
    assert client.get(parcours.get_absolute_url()).status_code == 404
    assert "Parcours caché" not in client.get(reverse("installation:accueil")).content.decode()


def test_parcours_publie_montre_sa_date(client, db):
    parcours = ParcoursFactory()
    page = client.get(parcours.get_absolute_url()).content.decode()
    assert f"Mis à jour le {parcours.modifie_le:%-d}" in page


@pytest.mark.parametrize("statut", ["brouillon", "archivee"])
def test_document_non_publie_invisible(client, db, statut):
    parcours = ParcoursFactory()
    etape = EtapeFactory(parcours=parcours)
    cache = DocumentFactory(
        titre="Document caché",
        statut_publication=statut,
        etapes=[etape],
        publics=["professionnels"],
    )
    visible = DocumentFactory(titre="Document visible", etapes=[etape], publics=["professionnels"])
    assert client.get(cache.get_absolute_url()).status_code == 404
    assert client.get(visible.get_absolute_url()).status_code == 200
    for url in (
        reverse("installation:documents"),
        etape.get_absolute_url(),
        parcours.get_absolute_url(),
        reverse("guichet:professionnels"),
    ):
        page = client.get(url).content.decode()
        assert "Document caché" not in page, url
    assert "Document visible" in client.get(etape.get_absolute_url()).content.decode()
    assert list(parcours.documents_pour()) == [visible]


def test_page_editoriale_brouillon_invisible(client, pages_editoriales):
    page = PageEditoriale.objects.get(cle="mentions-legales")
    page.repasser_en_brouillon()
    page.save()
    assert client.get(reverse("guichet:mentions_legales")).status_code == 404
    page.publier()
    page.save()
    assert client.get(reverse("guichet:mentions_legales")).status_code == 200


def test_transitions_de_publication(db):
    parcours = ParcoursFactory(statut_publication=StatutPublication.BROUILLON)
    with pytest.raises(ValidationError):
        parcours.archiver()
    with pytest.raises(ValidationError):
        parcours.repasser_en_brouillon()
    parcours.publier()
    with pytest.raises(ValidationError):
        parcours.publier()
    parcours.archiver()
    assert parcours.statut_publication == "archivee"


def test_aide_terminee_signalee_dans_l_admin(client, db):
    from tests.aides.factories import AideFactory
    from tests.factories import UserFactory

    AideFactory(nom="Aide terminée", close=True)
    client.force_login(UserFactory(admin_national=True))
    page = client.get(reverse("admin:aides_aide_changelist")).content.decode()
    assert '<strong class="aide-close">Terminée</strong>' in page


def test_contenus_a_relire_au_tableau_de_bord(client, territoires, agent_a):
    import datetime

    hier = datetime.date.today() - datetime.timedelta(days=1)
    ParcoursFactory(titre="À relire A", region=territoires["region_a"], revoir_le=hier)
    ParcoursFactory(titre="À relire B", region=territoires["region_b"], revoir_le=hier)
    ParcoursFactory(
        titre="Plus tard",
        region=territoires["region_a"],
        revoir_le=hier + datetime.timedelta(days=30),
    )
    client.force_login(agent_a)
    contenus = client.get(reverse("espace:tableau_de_bord")).context["contenus_a_relire"]
    assert [c["titre"] for c in contenus] == ["À relire A"]
