import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demographie.models import Bulletin, Effectif
from guichet.models import ImportEnAttente
from tests.factories import BulletinFactory, EffectifFactory, UserFactory

ENTETE = "annee;niveau;code_territoire;profession;tranche_age;sexe;mode_exercice;effectif\n"


@pytest.fixture
def agent_martinique(martinique):
    return UserFactory(agent_ars=True, regions=[martinique.region])


@pytest.mark.django_db
def test_un_autre_territoire_ne_voit_pas_les_effectifs(
    client, martinique, deux_sevres, agent_martinique
):
    a_moi = EffectifFactory(departement=martinique)
    pas_a_moi = EffectifFactory(departement=deux_sevres)
    client.force_login(agent_martinique)
    html = client.get("/gestion/demographie/effectif/").content.decode()
    assert f"/gestion/demographie/effectif/{a_moi.pk}/" in html
    assert f"/gestion/demographie/effectif/{pas_a_moi.pk}/" not in html
    assert client.get(f"/gestion/demographie/effectif/{pas_a_moi.pk}/change/").status_code == 302


@pytest.mark.django_db
def test_un_autre_territoire_ne_voit_pas_les_bulletins(
    client, martinique, deux_sevres, agent_martinique
):
    autre = BulletinFactory(region=deux_sevres.region)
    client.force_login(agent_martinique)
    assert client.get(f"/gestion/demographie/bulletin/{autre.pk}/change/").status_code == 302
    reponse = client.post(
        "/gestion/demographie/bulletin/add/",
        {
            "annee": 2025,
            "niveau": "region",
            "region": deux_sevres.region_id,
            "faits_marquants": "",
        },
    )
    assert reponse.status_code == 200 and not Bulletin.objects.filter(region="75", pk__gt=autre.pk)
    reponse = client.post(
        "/gestion/demographie/bulletin/add/",
        {
            "annee": 2025,
            "niveau": "region",
            "region": "02",
            "faits_marquants": "Texte",
        },
    )
    assert reponse.status_code == 302
    assert Bulletin.objects.get(region="02").code_territoire == "02"


@pytest.mark.django_db
def test_import_avec_apercu_puis_confirmation(client, agent_martinique, martinique):
    client.force_login(agent_martinique)
    fichier = SimpleUploadedFile(
        "effectifs.csv", (ENTETE + "2025;departement;972;infirmier;<30;F;liberal;NS\n").encode()
    )
    apercu = client.post(
        "/gestion/demographie/effectif/importer/", {"fichier": fichier, "source": "DREES 2025"}
    )
    html = apercu.content.decode()
    assert "Aperçu avant import" in html and "masqué" in html
    assert not Effectif.objects.exists()  # nothing written before confirmation
    jeton = html.split('name="confirmer" value="')[1].split('"')[0]
    attente = ImportEnAttente.objects.get(jeton=jeton)  # keyed in the database, file in storage
    assert attente.fichier.storage.exists(attente.fichier.name)
    client.post("/gestion/demographie/effectif/importer/", {"confirmer": jeton})
    effectif = Effectif.objects.get()
    assert not ImportEnAttente.objects.exists()
    assert not attente.fichier.storage.exists(attente.fichier.name)
    assert effectif.effectif is None and effectif.source.libelle == "DREES 2025"
    assert effectif.source.importe_par == agent_martinique


@pytest.mark.django_db
def test_import_hors_perimetre_dans_l_admin(client, agent_martinique, deux_sevres):
    client.force_login(agent_martinique)
    fichier = SimpleUploadedFile(
        "e.csv", (ENTETE + "2025;departement;79;infirmier;<30;F;liberal;3\n").encode()
    )
    html = client.post(
        "/gestion/demographie/effectif/importer/", {"fichier": fichier, "source": "X"}
    ).content.decode()
    assert "ligne 2 : territoire « 79 » hors de votre périmètre" in html
    assert not ImportEnAttente.objects.exists()
    assert not Effectif.objects.exists()


@pytest.mark.django_db
def test_import_interdit_sans_permission(client, martinique):
    client.force_login(UserFactory(referent=True, regions=[martinique.region]))
    assert client.get("/gestion/demographie/effectif/importer/").status_code == 403


@pytest.mark.django_db
def test_un_autre_agent_ne_peut_pas_confirmer_l_import(client, agent_martinique, martinique):
    client.force_login(agent_martinique)
    fichier = SimpleUploadedFile(
        "effectifs.csv", (ENTETE + "2025;departement;972;infirmier;<30;F;liberal;4\n").encode()
    )
    client.post(
        "/gestion/demographie/effectif/importer/", {"fichier": fichier, "source": "DREES 2025"}
    )
    jeton = ImportEnAttente.objects.get().jeton
    client.force_login(UserFactory(agent_ars=True, regions=[martinique.region]))
    reponse = client.post("/gestion/demographie/effectif/importer/", {"confirmer": jeton})
    assert reponse.status_code == 302 and not Effectif.objects.exists()
