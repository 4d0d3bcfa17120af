import pytest
from django.urls import reverse

from installation import services
from tests.aides.factories import OrganisationFactory
from tests.factories import DepartementFactory
from tests.installation.factories import ContactFactory, EtapeFactory, ParcoursFactory

pytestmark = pytest.mark.django_db


def test_annuaire_filtre_par_profession(client, django_assert_max_num_queries):
    dep = DepartementFactory(code="79", nom="Deux-Sèvres")
    oni = OrganisationFactory(nom="Ordre des infirmiers")
    cnom = OrganisationFactory(nom="Ordre des médecins")
    urssaf = OrganisationFactory(nom="Urssaf")
    EtapeFactory(parcours=ParcoursFactory(profession="infirmier"), organisation=oni)
    EtapeFactory(parcours=ParcoursFactory(profession="medecin-generaliste"), organisation=cnom)
    ContactFactory(departement=dep, organisation=oni, intitule="Conseil des infirmiers 79")
    ContactFactory(departement=dep, organisation=cnom, intitule="Conseil des médecins 79")
    ContactFactory(departement=dep, organisation=urssaf, intitule="Urssaf Poitou-Charentes")
    url = reverse("installation:contacts")
    with django_assert_max_num_queries(12):
        html = client.get(url, {"departement": "79", "profession": "infirmier"}).content.decode()
    assert "Conseil des infirmiers 79" in html and "Urssaf Poitou-Charentes" in html
    assert "Conseil des médecins 79" not in html
    assert 'action="/installation/contacts/#contacts"' in html and 'id="contacts"' in html
    tout = client.get(url, {"departement": "79"}).content.decode()
    assert "Conseil des médecins 79" in tout
    assert client.get(url, {"departement": "79", "profession": "zzz"}).status_code == 200


def test_contacts_affiches_sous_le_formulaire_du_parcours(client):
    dep = DepartementFactory(code="79", nom="Deux-Sèvres")
    etape = EtapeFactory()
    ContactFactory(departement=dep, organisation=etape.organisation, intitule="Guichet 79")
    html = client.get(etape.parcours.get_absolute_url(), {"departement": "79"}).content.decode()
    formulaire = html[
        html.index('id="titre-departement"') : html.index(
            "</form>", html.index('id="titre-departement"')
        )
    ]
    assert "Guichet 79" in formulaire


def test_calendrier_csv_en_francais():
    etape = EtapeFactory(titre="S'inscrire à l'Ordre")
    texte = services.calendrier_csv(parcours=etape.parcours).decode("utf-8-sig")
    assert texte.splitlines()[0] == (
        "Ordre;Phase;Étape;Qui s'en occupe;Durée ou délai;Obligatoire;Service en ligne"
    )


@pytest.mark.django_db
def test_calendrier_du_plan_porte_les_dates_du_plan(client):
    import datetime

    from installation.models import Document
    from tests.factories import CommuneFactory, UserFactory
    from tests.installation.factories import DocumentFactory

    etape = EtapeFactory(titre="S'inscrire à l'Ordre")
    seconde = EtapeFactory(
        titre="Ouvrir le cabinet", parcours=etape.parcours, ordre=etape.ordre + 1
    )
    user = UserFactory()
    plan = services.plan_commencer(
        utilisateur=user, parcours=etape.parcours, commune=CommuneFactory()
    )
    services.etape_suivre(plan=plan, etape=etape, fait=True, date=datetime.date(2026, 3, 14))
    texte = services.calendrier_csv(parcours=plan.parcours, plan=plan).decode("utf-8-sig")
    lignes = [ligne.split(";") for ligne in texte.splitlines()]
    assert lignes[0][-2:] == ["Date prévue ou réalisée", "Fait"]
    par_titre = {ligne[2]: ligne for ligne in lignes[1:]}
    assert par_titre["S'inscrire à l'Ordre"][-2:] == ["2026-03-14", "oui"]
    assert par_titre[seconde.titre][-2:] == ["", "non"]
    # the plan page and the documents page lead to it; another user gets a 404
    client.force_login(user)
    url = f"/installation/mon-plan/{plan.pk}/calendrier-mon-plan.csv"
    assert url in client.get(plan.get_absolute_url()).content.decode()
    reponse = client.get(url)
    assert reponse["Content-Type"].startswith("text/csv")
    assert "2026-03-14" in reponse.content.decode("utf-8-sig")
    DocumentFactory(
        type=Document.Type.TABLEUR, titre="Calendrier des démarches", parcours=[plan.parcours]
    )
    assert url in client.get("/installation/documents/").content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert url not in client.get("/installation/documents/").content.decode()
