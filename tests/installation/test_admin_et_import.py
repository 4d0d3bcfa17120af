"""Scoped admin (another territory cannot see it) and the parcours import."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from installation import services
from installation.models import Contact, Document, Etape, Evenement, Parcours
from tests.factories import DepartementFactory, RegionFactory, UserFactory
from tests.installation.factories import (
    ActualiteFactory,
    ContactFactory,
    DocumentFactory,
    EtapeFactory,
    EvenementFactory,
    ParcoursFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


@pytest.fixture
def territoires():
    na = RegionFactory(nouvelle_aquitaine=True)
    occ = RegionFactory(occitanie=True)
    return {
        "na": na,
        "occ": occ,
        "79": DepartementFactory(code="79", nom="Deux-Sèvres", region=na),
        "32": DepartementFactory(code="32", nom="Gers", region=occ),
    }


def _objets(t):
    """For each scoped admin: (model name, object of the Gers, object of the Deux-Sèvres)."""
    return [
        (
            "parcours",
            ParcoursFactory(titre="Gers-P", departement=t["32"]),
            ParcoursFactory(titre="DS-P", departement=t["79"]),
        ),
        (
            "etape",
            EtapeFactory(titre="Gers-E", region=t["occ"]),
            EtapeFactory(titre="DS-E", departement=t["79"]),
        ),
        (
            "contact",
            ContactFactory(intitule="Gers-C", departement=t["32"]),
            ContactFactory(intitule="DS-C", departement=t["79"]),
        ),
        (
            "document",
            DocumentFactory(titre="Gers-D", departement=t["32"]),
            DocumentFactory(titre="DS-D", region=t["na"]),
        ),
        (
            "evenement",
            EvenementFactory(titre="Gers-V", departement=t["32"]),
            EvenementFactory(titre="DS-V", departement=t["79"]),
        ),
        (
            "actualite",
            ActualiteFactory(titre="Gers-A", region=t["occ"]),
            ActualiteFactory(titre="DS-A", departement=t["79"]),
        ),
    ]


@pytest.mark.parametrize("role", ["agent_ars", "referent"])
def test_un_autre_territoire_ne_voit_rien(client, territoires, role):
    objets = _objets(territoires)
    if role == "agent_ars":
        user = UserFactory(agent_ars=True, regions=[territoires["na"]])
    else:
        user = UserFactory(referent=True, departements=[territoires["79"]])
    client.force_login(user)
    for nom, du_gers, des_deux_sevres in objets:
        html = client.get(reverse(f"admin:installation_{nom}_changelist")).content.decode()
        regional = role == "referent" and nom == "document"  # région-wide: not a referent's
        assert (str(des_deux_sevres) in html) is not regional, nom
        assert str(du_gers) not in html, nom
        assert (
            client.get(reverse(f"admin:installation_{nom}_change", args=[du_gers.pk])).status_code
            == 302
        ), nom
        assert client.post(
            reverse(f"admin:installation_{nom}_delete", args=[du_gers.pk]), {"post": "yes"}
        ).status_code in {302, 403}, nom
        assert type(du_gers).objects.filter(pk=du_gers.pk).exists(), nom
        if regional:
            continue
        assert (
            client.get(
                reverse(f"admin:installation_{nom}_change", args=[des_deux_sevres.pk])
            ).status_code
            == 200
        ), nom


def test_contenu_national_en_lecture_seule_pour_un_agent(client, territoires):
    national = ParcoursFactory(titre="Parcours national")
    client.force_login(UserFactory(agent_ars=True, regions=[territoires["na"]]))
    html = client.get(reverse("admin:installation_parcours_changelist")).content.decode()
    assert "Parcours national" in html
    reponse = client.post(
        reverse("admin:installation_parcours_change", args=[national.pk]), {"titre": "Piraté"}
    )
    assert reponse.status_code == 403
    national.refresh_from_db()
    assert national.titre == "Parcours national"


def test_agent_cree_un_contact_dans_son_territoire_seulement(client, territoires):
    from tests.aides.factories import OrganisationFactory

    org = OrganisationFactory(code="urssaf")
    client.force_login(UserFactory(referent=True, departements=[territoires["79"]]))
    url = reverse("admin:installation_contact_add")
    donnees = {
        "organisation": org.pk,
        "intitule": "Urssaf du Gers",
        "departement": "32",
        "ordre": 0,
    }
    assert client.post(url, donnees).status_code == 200
    assert not Contact.objects.exists()
    donnees.update(intitule="Urssaf des Deux-Sèvres", departement="79")
    assert client.post(url, donnees).status_code == 302
    assert Contact.objects.get().intitule == "Urssaf des Deux-Sèvres"


def test_region_et_departement_exclusifs(territoires):
    from django.core.exceptions import ValidationError

    evenement = EvenementFactory.build(region=territoires["na"], departement=territoires["79"])
    with pytest.raises(ValidationError):
        evenement.clean()


def test_import_parcours_reel_idempotent_tout_ou_rien(territoires_complets, tmp_path):
    from aides.services import catalogue_charger

    catalogue_charger(force=True)
    resultat = services.parcours_charger(force=True)
    assert resultat == {"parcours": 9, "etapes": 131}
    assert Parcours.objects.count() == 9 and Etape.objects.count() == 131
    assert services.parcours_charger() == {"deja_charge": True}
    infirmier = Parcours.objects.get(slug="infirmier-liberal")
    assert infirmier.etapes.filter(organisation__code="ordre-infirmiers").exists()
    assert infirmier.etapes.filter(aides__slug="contrats-installation-infirmiers").exists()
    msp = Parcours.objects.get(slug="creer-maison-sante-pluriprofessionnelle")
    assert "porteurs-de-projet" in msp.publics
    # Every phase appears, in order, in the médecin généraliste parcours.
    phases = list(
        Parcours.objects.get(slug="medecin-generaliste-liberal")
        .etapes.order_by("ordre")
        .values_list("phase", flat=True)
    )
    assert list(dict.fromkeys(phases))[0] == "preparer"

    faux = tmp_path / "parcours.yaml"
    texte = services.FICHIER_PARCOURS.read_text()
    faux.write_text(
        texte.replace("organisation: ordre-infirmiers", "organisation: inconnue", 1).replace(
            "Infirmier ou infirmière libéral(e)", "Titre modifié"
        )
    )
    with pytest.raises(services.ErreurImport) as erreur:
        services.parcours_charger(fichier=faux)
    assert "organisation inconnue « inconnue »" in str(erreur.value)
    assert not Parcours.objects.filter(titre="Titre modifié").exists()  # nothing written

    call_command("import_parcours", verbosity=0)


def test_demo_complete(territoires_complets):
    from installation import demo

    messages = []
    demo.charger(ecrire=messages.append)
    assert Document.objects.count() == 18  # a checklist and a calendar per national parcours
    assert Contact.objects.filter(fictif=True, departement="972").exists()
    assert Evenement.objects.a_venir().count() == 6
    checklist = Document.objects.get(titre__startswith="Liste de contrôle : Infirmier")
    assert checklist.format == "pdf" and checklist.fichier.read(5) == b"%PDF-"
    assert checklist.etapes.exists()
    demo.charger(ecrire=messages.append)  # idempotent
    assert Document.objects.count() == 18 and Evenement.objects.count() == 6
