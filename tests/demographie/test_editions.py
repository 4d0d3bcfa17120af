"""Public bulletin URLs serve stored editions; an anonymous request never renders a PDF."""

import io

import pytest
from django.core.management import call_command

from demographie import services
from demographie.models import Bulletin
from tests.factories import EffectifFactory, UserFactory

URL = "/demographie/bulletin/2025/departement/972.pdf"


@pytest.fixture
def rendus(monkeypatch):
    """Count the renders (WeasyPrint itself is tested in test_bulletin.py)."""
    appels = []
    vrai = services.bulletin_rendre

    def faux(*, territoire, annee, bulletin=None):
        vrai_rapport = services.rapport.construire(territoire, annee=annee)
        if vrai_rapport.annee != annee:
            raise services.PasDeDonnees(str(territoire))
        appels.append((territoire.niveau, territoire.code))
        return f"%PDF-1.7 essai {len(appels)}".encode()

    monkeypatch.setattr(services, "bulletin_rendre", faux)
    assert vrai is not faux
    return appels


@pytest.mark.django_db
def test_une_requete_anonyme_ne_genere_jamais_de_bulletin(client, effectifs_martinique, rendus):
    reponse = client.get(URL)
    assert reponse.status_code == 404
    assert "pas encore disponible" in reponse.content.decode()
    assert rendus == [] and not Bulletin.objects.exists()


@pytest.mark.django_db
def test_le_travail_planifie_genere_puis_l_adresse_publique_sert_l_edition(
    client, effectifs_martinique, rendus
):
    sortie = io.StringIO()
    call_command("actualiser_bulletins", stdout=sortie)
    assert ("departement", "972") in rendus and ("france", "FR") in rendus
    assert "éditions générées" in sortie.getvalue()
    reponse = client.get(URL)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert reponse.getvalue().startswith(b"%PDF-1.7 essai")
    assert reponse["Cache-Control"] == "public, max-age=900"
    etag = reponse["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(rendus) == len(set(rendus))  # each territory rendered once


@pytest.mark.django_db
def test_une_edition_est_regeneree_quand_ses_donnees_changent(
    client, effectifs_martinique, martinique, rendus
):
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    bulletin = Bulletin.objects.get(code_territoire="972")
    premier, etag = bulletin.edition.name, client.get(URL)["ETag"]
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    assert rendus == [("departement", "972")]  # data unchanged: nothing rendered again
    EffectifFactory(departement=martinique, effectif=7, tranche_age="40-49")
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    assert rendus == [("departement", "972")] * 2
    bulletin.refresh_from_db()
    assert bulletin.edition.name != premier and not bulletin.edition.storage.exists(premier)
    nouvelle = client.get(URL)
    assert nouvelle["ETag"] != etag and b"essai 2" in nouvelle.getvalue()


@pytest.mark.django_db
def test_la_premiere_demande_d_un_agent_genere_et_conserve(client, effectifs_martinique, rendus):
    client.force_login(UserFactory(agent_ars=True))
    assert client.get(URL).status_code == 200
    assert rendus == [("departement", "972")]
    client.logout()
    assert client.get(URL).status_code == 200  # now stored: served to everyone
    assert rendus == [("departement", "972")]


@pytest.mark.django_db
def test_une_edition_publiee_est_servie_telle_quelle(client, effectifs_martinique, rendus):
    bulletin = services.bulletin_pour(territoire=services.trouver("departement", "972"), annee=2025)
    services.bulletin_publier(bulletin=bulletin)
    reponse = client.get(URL)
    assert reponse["Cache-Control"] == "public, max-age=86400"
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    assert rendus == [("departement", "972")]  # a published edition is never rendered again


@pytest.mark.django_db
def test_action_d_administration_regenere_l_edition(client, effectifs_martinique, rendus):
    bulletin = services.bulletin_pour(territoire=services.trouver("departement", "972"), annee=2025)
    client.force_login(UserFactory(superuser=True))
    client.post(
        "/gestion/demographie/bulletin/",
        {
            "action": "actualiser_edition",
            "_selected_action": [bulletin.pk],
        },
    )
    bulletin.refresh_from_db()
    assert bulletin.edition and rendus == [("departement", "972")]


@pytest.mark.django_db
def test_un_fichier_perdu_du_stockage_ne_donne_pas_d_erreur(client, effectifs_martinique, rendus):
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    bulletin = Bulletin.objects.get(code_territoire="972")
    bulletin.edition.storage.delete(bulletin.edition.name)
    assert client.get(URL).status_code == 404
    call_command("actualiser_bulletins", "--niveau", "departement", stdout=io.StringIO())
    assert client.get(URL).status_code == 200  # the next run renders it again
