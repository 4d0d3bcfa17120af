import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from aides import services
from aides.models import Aide, Zonage
from tests.aides.factories import AideFactory, ZonageFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


@pytest.fixture
def regions():
    na = RegionFactory(nouvelle_aquitaine=True)
    occ = RegionFactory(occitanie=True)
    return {
        "na": na,
        "occ": occ,
        "79": DepartementFactory(code="79", nom="Deux-Sèvres", region=na),
        "32": DepartementFactory(code="32", nom="Gers", region=occ),
    }


@pytest.fixture
def agent_na(regions):
    return UserFactory(agent_ars=True, regions=[regions["na"]])


def test_catalogue_reel(territoires_complets):
    resultat = services.catalogue_charger(force=True)
    assert resultat["aides"] >= 20
    ptmg = Aide.objects.get(slug="ptmg")
    assert ptmg.montant == Decimal("6900") and ptmg.unite == "mois"
    assert ptmg.valide_au == datetime.date(2020, 12, 24) and ptmg.est_close
    cesp = Aide.objects.get(slug="cesp")
    assert {"sage-femme", "pharmacien"} <= set(cesp.professions)
    assert not cesp.est_close and cesp.source_url.startswith("https://")
    assert all(a.source_url and a.verifie_le for a in Aide.objects.all())
    exemples = Aide.objects.filter(exemple=True)
    assert exemples.exists()
    assert all(list(a.departements.values_list("code", flat=True)) == ["79"] for a in exemples)

    # Who pays is not who processes the file.
    def roles(role):
        return list(
            cesp.financements.filter(role=role).values_list("organisation__code", flat=True)
        )

    assert roles("financeur") and roles("financeur") != roles("instructeur")
    assert services.catalogue_charger() == {"deja_charge": True}


def test_import_zonage_tout_ou_rien(tmp_path, regions):
    melle = CommuneFactory(code="79174", nom="Melle", departement=regions["79"])
    ZonageFactory(commune=melle, profession="infirmier", niveau="intermediaire")
    fichier = tmp_path / "zonage.csv"
    fichier.write_text(
        "code_commune;profession;niveau;date_arrete;source\n"
        "79174;infirmier;tres-sous-dotee;2025-03-01;Arrêté ARS NA\n"
        "99999;infirmier;zip;2025-03-01;Arrêté ARS NA\n"
        "79174;dentiste;zip;01/03/2025;\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as erreur:
        call_command("import_zonage", str(fichier))
    message = str(erreur.value)
    assert "ligne 3 : commune inconnue « 99999 »" in message
    assert "ligne 4 : profession inconnue « dentiste »" in message
    assert "date d'arrêté invalide « 01/03/2025 »" in message and "source manquante" in message
    assert list(Zonage.objects.values_list("niveau", flat=True)) == ["intermediaire"]


def test_import_zonage_remplace_l_arrete_precedent(tmp_path, regions):
    melle = CommuneFactory(code="79174", nom="Melle", departement=regions["79"])
    ZonageFactory(commune=melle, profession="infirmier", niveau="intermediaire")
    ZonageFactory(commune=melle, profession="medecin-generaliste", niveau="zac")
    fichier = tmp_path / "zonage.csv"
    fichier.write_text(
        "code_commune;profession;niveau;date_arrete;source\n"
        "79174;infirmier;tres-sous-dotee;2025-03-01;Arrêté ARS NA\n",
        encoding="utf-8",
    )
    call_command("import_zonage", str(fichier))
    assert set(Zonage.objects.values_list("profession", "niveau")) == {
        ("infirmier", "tres-sous-dotee"),
        ("medecin-generaliste", "zac"),
    }


def test_admin_import_zonage_apercu_puis_confirmation(client, agent_na, regions):
    CommuneFactory(code="79174", nom="Melle", departement=regions["79"])
    CommuneFactory(code="32013", nom="Auch", departement=regions["32"])
    client.force_login(agent_na)
    url = reverse("admin:aides_zonage_importer")
    hors = SimpleUploadedFile(
        "z.csv",
        b"code_commune;profession;niveau;date_arrete;source\n32013;infirmier;zip;2025-01-01;A\n",
    )
    html = client.post(url, {"fichier": hors}).content.decode()
    assert "commune 32013 hors de votre territoire" in html
    bon = SimpleUploadedFile(
        "z.csv",
        b"code_commune;profession;niveau;date_arrete;source\n79174;infirmier;zip;2025-01-01;A\n",
    )
    html = client.post(url, {"fichier": bon}).content.decode()
    assert "Confirmer l&#x27;import" in html or "Confirmer l'import" in html
    assert not Zonage.objects.exists()  # nothing written before confirmation
    jeton = html.split('name="jeton" value="')[1].split('"')[0]
    client.post(url, {"jeton": jeton})
    assert Zonage.objects.get().commune_id == "79174"


def test_admin_import_refuse_un_fichier_non_csv(client, agent_na):
    client.force_login(agent_na)
    faux = SimpleUploadedFile("z.xlsx", b"PK\x03\x04")
    html = client.post(reverse("admin:aides_zonage_importer"), {"fichier": faux}).content.decode()
    assert "Le fichier doit être un CSV" in html


def test_agent_ne_voit_ni_ne_modifie_les_aides_d_une_autre_region(client, agent_na, regions):
    gers = AideFactory(nom="Aide du Gers", portee="departement")
    gers.departements.set([regions["32"]])
    deux_sevres = AideFactory(nom="Aide des Deux-Sèvres", portee="departement")
    deux_sevres.departements.set([regions["79"]])
    nationale = AideFactory(nom="Aide nationale")
    client.force_login(agent_na)

    html = client.get(reverse("admin:aides_aide_changelist")).content.decode()
    assert "Aide des Deux-Sèvres" in html and "Aide nationale" in html
    assert "Aide du Gers" not in html
    change = reverse("admin:aides_aide_change", args=[gers.pk])
    assert client.get(change).status_code == 302
    assert client.post(
        reverse("admin:aides_aide_delete", args=[gers.pk]), {"post": "yes"}
    ).status_code in {302, 403}
    assert Aide.objects.filter(pk=gers.pk).exists()
    # National schemes: read-only for a regional agent.
    assert (
        client.post(
            reverse("admin:aides_aide_change", args=[nationale.pk]), {"nom": "Piratée"}
        ).status_code
        == 403
    )
    nationale.refresh_from_db()
    assert nationale.nom == "Aide nationale"
    assert client.get(reverse("admin:aides_aide_change", args=[deux_sevres.pk])).status_code == 200
    # Preview outside the admin follows the same scope.
    assert client.get(reverse("aides:apercu", args=[gers.slug])).status_code == 404
    assert client.get(reverse("aides:apercu", args=[deux_sevres.slug])).status_code == 200


def _donnees_aide(**extra):
    donnees = {
        "nom": "Aide régionale au logement",
        "slug": "aide-logement-na",
        "statut_publication": "publiee",
        "resume": "Logement des internes.",
        "description": "Texte.",
        "type": "logement",
        "portee": "region",
        "source_url": "https://www.nouvelle-aquitaine.ars.sante.fr/",
        "verifie_le": "2026-11-01",
        "financements-TOTAL_FORMS": "0",
        "financements-INITIAL_FORMS": "0",
        "financements-MIN_NUM_FORMS": "0",
        "financements-MAX_NUM_FORMS": "1000",
    }
    donnees.update(extra)
    return donnees


def test_agent_cree_une_aide_de_sa_region_mais_pas_nationale(client, agent_na, regions):
    client.force_login(agent_na)
    url = reverse("admin:aides_aide_add")
    response = client.post(url, _donnees_aide(regions=[regions["occ"].pk]))
    assert response.status_code == 200 and not Aide.objects.exists()
    response = client.post(url, _donnees_aide(portee="national", slug="nat"))
    assert "hors de votre périmètre" in response.content.decode()
    response = client.post(url, _donnees_aide(regions=[regions["na"].pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Aide.objects.get().regions.all()) == [regions["na"]]


def test_liste_a_reverifier(client):
    AideFactory(nom="Vérifiée récemment")
    AideFactory(nom="Vérifiée il y a longtemps", verifie_le=datetime.date(2024, 1, 1))
    client.force_login(UserFactory(admin_national=True))
    html = client.get(
        reverse("admin:aides_aide_changelist"), {"verification": "a-reverifier"}
    ).content.decode()
    assert "Vérifiée il y a longtemps" in html and "Vérifiée récemment" not in html
