"""A post names the maison or centre de santé (FINESS) where it is: one of the post's
département or within 30 km of its commune, shown on the post's page."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from guichet.models import Commune
from installation.models import Structure
from opportunites.models import Opportunite
from tests import factories as f
from tests.installation.factories import StructureFactory
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db


def commune(code):
    return Commune.objects.select_related("departement").get(code=code)


@pytest.fixture
def structures():
    return {
        "felletin": StructureFactory(commune=commune("23079"), nom="MSP du Plateau"),
        "gueret": StructureFactory(
            commune=commune("23096"), nom="CDS de Guéret", categorie=Structure.Categorie.CDS
        ),  # same département, 38.6 km
        "ussel": StructureFactory(commune=commune("19275"), nom="MSP d'Ussel"),  # 39 km
        "correze": StructureFactory(commune=commune("19164"), nom="MSP corrézienne"),  # 23 km
        "niort": StructureFactory(commune=commune("79191"), nom="MSP de Niort"),
    }


def _donnees(brouillon, **autres):
    return {
        "qualite_auteur": "collectivite",
        "structure": "Mairie de Felletin",
        "nature": brouillon.nature,
        "titre": brouillon.titre,
        "professions": brouillon.professions,
        "commune": commune("23079").libelle,
        "description": brouillon.description,
        "secretariat": "",
        **autres,
    }


def test_structures_proposees_du_departement_ou_a_30_km(structures):
    felletin = commune("23079")
    proposees = set(Structure.objects.pour_annonce(felletin).values_list("nom", flat=True))
    assert {"MSP du Plateau", "CDS de Guéret"} <= proposees
    assert "MSP de Niort" not in proposees
    # across the border: a Corrèze structure 23 km away yes, Ussel (39 km) no
    assert "MSP corrézienne" in proposees and "MSP d'Ussel" not in proposees


def test_l_auteur_choisit_sa_structure_elle_s_affiche_sur_l_annonce(client, structures):
    brouillon = OpportuniteFactory(commune=commune("23079"))
    client.force_login(brouillon.auteur)
    url = reverse("opportunites:modifier", args=[brouillon.pk])
    page = client.get(url).content.decode()
    assert "MSP du Plateau" in page and "CDS de Guéret" in page and "MSP de Niort" not in page
    reponse = client.post(url, _donnees(brouillon, structure_accueil=structures["felletin"].pk))
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    brouillon.refresh_from_db()
    assert brouillon.structure_accueil == structures["felletin"]
    page = client.get(reverse("opportunites:detail", args=[brouillon.pk])).content.decode()
    assert (
        "Lieu d'exercice : <strong>MSP du Plateau</strong>, maison de santé pluriprofessionnelle "
        "à Felletin"
    ) in page
    assert f"n° FINESS {structures['felletin'].finess}" in page


def test_une_structure_lointaine_est_refusee_et_rien_ne_change(client, structures):
    brouillon = OpportuniteFactory(commune=commune("23079"))
    client.force_login(brouillon.auteur)
    url = reverse("opportunites:modifier", args=[brouillon.pk])
    for valeur in [structures["niort"].pk, 999999999, "abc"]:
        reponse = client.post(url, _donnees(brouillon, structure_accueil=valeur, titre="Autre"))
        assert reponse.status_code == 200
        assert "structure_accueil" in reponse.context["form"].errors
        brouillon.refresh_from_db()
        assert brouillon.structure_accueil is None and brouillon.titre != "Autre"
    erreur = reponse.context["form"].errors["structure_accueil"]
    assert erreur  # an unknown value: Django's own choice message
    reponse = client.post(url, _donnees(brouillon, structure_accueil=structures["niort"].pk))
    assert (
        "Cette structure n&#x27;est ni dans le département de la commune ni à 30 km au plus."
        in reponse.content.decode()
    )


def test_une_structure_retiree_par_l_import_laisse_l_annonce(structures):
    annonce = OpportuniteFactory(
        commune=commune("23079"), publiee=True, structure_accueil=structures["felletin"]
    )
    extrait = Path(__file__).parents[1] / "installation" / "donnees"
    call_command(
        "import_finess", str(extrait / "etalab-cs1100507-stock-essai.csv"), stdout=StringIO()
    )
    annonce.refresh_from_db()
    assert annonce.structure_accueil is None and annonce.en_ligne
    assert not Structure.objects.filter(nom="MSP du Plateau").exists()


def test_demo_le_poste_du_lamentin_est_dans_le_centre_de_sante_fictif():
    from installation import demo as demo_installation
    from opportunites import demo

    na = f.RegionFactory(nouvelle_aquitaine=True)
    f.DepartementFactory(code="23", nom="Creuse", region=na)
    demo_installation._structures(ecrire=lambda m: None)
    demo_installation._structures(ecrire=lambda m: None)  # idempotent
    fictives = Structure.objects.filter(fictive=True)
    assert fictives.count() == 5 and not Structure.objects.filter(fictive=False).exists()
    assert all("fictif" in s.nom or "fictive" in s.nom for s in fictives)
    demo.charger(ecrire=lambda m: None)
    poste = Opportunite.objects.get(commune_id="97213")
    assert poste.structure_accueil.nom == "Centre de santé du Lamentin (fictif)"
    assert poste.structure_accueil.fictive and poste.structure_accueil.commune_id == "97213"
