"""What the parcours and step pages keep (installation.rendu) follows every write that changes
it: steps, contacts, documents, organisations, publication, a département chosen. What
depends on the user (their plan, a CSRF token) is never kept."""

import pytest

from installation.models import Etape, Parcours
from tests.aides.factories import OrganisationFactory
from tests.factories import DepartementFactory, RegionFactory, UserFactory
from tests.installation.factories import (
    ContactFactory,
    DocumentFactory,
    EtapeFactory,
    ParcoursFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcours():
    parcours = ParcoursFactory(slug="infirmier-liberal", titre="Infirmier libéral")
    ars = OrganisationFactory(code="ars-na", nom="ARS Nouvelle-Aquitaine")
    EtapeFactory(parcours=parcours, slug="ordre", titre="S'inscrire à l'Ordre", ordre=1)
    EtapeFactory(parcours=parcours, slug="ars", titre="Voir l'ARS", organisation=ars, ordre=2)
    return parcours


def _get(client, url, statut=200, **parametres) -> str:
    response = client.get(url, parametres)
    assert response.status_code == statut
    return response.content.decode()


def test_parcours_suit_etapes_contacts_documents_et_publication(
    client, parcours, django_assert_max_num_queries
):
    url = parcours.get_absolute_url()
    deux_sevres = DepartementFactory(
        code="79", nom="Deux-Sèvres", region=RegionFactory(nouvelle_aquitaine=True)
    )
    _get(client, url)
    with django_assert_max_num_queries(2):
        html = _get(client, url)
    assert "S&#x27;inscrire à l&#x27;Ordre" in html and "2 étapes" in html
    Etape.objects.filter(slug="ordre").update(titre="S'inscrire au tableau de l'Ordre")
    assert "S&#x27;inscrire au tableau de l&#x27;Ordre" in _get(client, url)
    etape = Etape.objects.get(slug="ars")
    ContactFactory(
        organisation=etape.organisation,
        departement=deux_sevres,
        intitule="Délégation des Deux-Sèvres",
    )
    assert "Délégation des Deux-Sèvres" not in _get(client, url)
    html = _get(client, url, departement="79")
    assert html.count("Délégation des Deux-Sèvres") == 2  # the step card and the form's list
    assert '<option value="79" selected>' in html
    DocumentFactory(titre="Liste de contrôle", parcours=[parcours])
    assert "Liste de contrôle" in _get(client, url)
    etape.organisation.nom = "Agence régionale de santé"
    etape.organisation.save()
    assert "Qui : Agence régionale de santé" in _get(client, url)
    Parcours.objects.filter(pk=parcours.pk).update(statut_publication="archivee")
    _get(client, url, statut=404)


def test_parcours_le_plan_reste_celui_de_l_utilisateur(client, parcours):
    url = parcours.get_absolute_url()
    anonyme = _get(client, url)
    assert "Créer un compte pour suivre mon plan" in anonyme
    assert "csrfmiddlewaretoken" not in anonyme.split('id="mon-plan"')[1].split("</div>")[0]
    client.force_login(UserFactory())
    connecte = _get(client, url)
    assert "Commencer mon plan" in connecte and "Créer un compte pour suivre" not in connecte
    plan = connecte.split('id="mon-plan"')[1]
    assert 'name="csrfmiddlewaretoken"' in plan.split("</form>")[0]


def test_etape_suit_description_documents_et_territoire(
    client, parcours, django_assert_max_num_queries
):
    deux_sevres = DepartementFactory(
        code="79", nom="Deux-Sèvres", region=RegionFactory(nouvelle_aquitaine=True)
    )
    gers = DepartementFactory(code="32", nom="Gers", region=RegionFactory(occitanie=True))
    etape = Etape.objects.get(slug="ordre")
    url = etape.get_absolute_url()
    _get(client, url)
    with django_assert_max_num_queries(2):
        html = _get(client, url)
    assert "étape 1 sur 2" in html and "Étape suivante" in html
    Etape.objects.filter(pk=etape.pk).update(description="Déposez le **dossier** complet.")
    assert "Déposez le <strong>dossier</strong> complet." in _get(client, url)
    document = DocumentFactory(titre="Formulaire d'inscription", etapes=[etape])
    assert "Formulaire d&#x27;inscription" in _get(client, url)
    document.archiver()
    document.save()
    assert "Formulaire d&#x27;inscription" not in _get(client, url)
    locale = EtapeFactory(
        parcours=parcours, slug="locale", titre="Étape locale", ordre=3, departement=deux_sevres
    )
    _get(client, locale.get_absolute_url(), statut=404)
    _get(client, locale.get_absolute_url(), statut=404, departement="32")
    html = _get(client, locale.get_absolute_url(), departement="79")
    assert "étape 3 sur 3" in html and '<option value="79" selected>' in html
    assert "étape 1 sur 3" in _get(client, url, departement="79")
    assert "étape 1 sur 2" in _get(client, url, departement=gers.code)
