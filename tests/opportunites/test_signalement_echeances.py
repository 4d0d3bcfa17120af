"""Reports send a post back to moderation (rate-limited); renewal with a reminder before the
end; purge after the retention period; trusted authors publish directly; the optional PDF."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from opportunites import services
from opportunites.models import MessageOpportunite, MotifSignalement, Opportunite, Statut
from tests import factories as f
from tests.installation.factories import _pdf
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db
MATIN = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def test_signaler_renvoie_en_moderation_avec_un_motif_choisi(client):
    annonce = OpportuniteFactory(publiee=True)
    client.force_login(f.UserFactory(email_verifiee=True))
    url = reverse("opportunites:signaler", args=[annonce.pk])
    reponse = client.post(url, {"motif": "n'importe quoi"}, follow=True)
    annonce.refresh_from_db()
    assert annonce.statut == Statut.PUBLIEE and "Choisissez le motif" in reponse.content.decode()
    assert client.post(url, {"motif": MotifSignalement.FRAUDE}).status_code == 302
    annonce.refresh_from_db()
    assert annonce.statut == Statut.SOUMISE and annonce.motif_signalement == "fraude"
    premiere = annonce.publiee_le
    # Off the list and out of the alerts until the staff publish it again.
    assert annonce not in Opportunite.objects.publiees()
    assert client.post(url, {"motif": "fraude"}).status_code == 404
    agent = f.UserFactory(agent_ars=True, departements=[annonce.commune.departement])
    client.force_login(agent)
    page = client.get(reverse("opportunites_moderation:annonce", args=[annonce.pk]))
    assert "Annonce frauduleuse" in page.content.decode()
    services.opportunite_publier(opportunite=annonce, moderateur=agent)
    assert annonce.publiee_le == premiere  # the figures count its first publication


def test_signaler_exige_un_compte_et_est_limite(client, settings):
    settings.OPPORTUNITE_SIGNALEMENT_LIMITE = "2/h"
    annonces = [OpportuniteFactory(publiee=True) for _ in range(3)]
    url = reverse("opportunites:signaler", args=[annonces[0].pk])
    assert client.post(url, {"motif": "fraude"}).status_code == 302  # to the login page
    assert Opportunite.objects.publiees().count() == 3
    client.force_login(f.UserFactory(email_verifiee=True))
    codes = [
        client.post(reverse("opportunites:signaler", args=[a.pk]), {"motif": "fraude"}).status_code
        for a in annonces
    ]
    assert codes == [302, 302, 429]
    assert Opportunite.objects.publiees().count() == 1


def test_rappel_avant_echeance_une_fois_puis_renouvellement(client, time_machine):
    time_machine.move_to(MATIN)
    annonce = OpportuniteFactory(publiee=True, expire_le=datetime.date(2027, 3, 6),
                                 auteur__email="auteur@exemple.fr")  # fmt: skip
    lointaine = OpportuniteFactory(publiee=True, expire_le=datetime.date(2027, 5, 1))
    sortie = io.StringIO()
    call_command("expirer_opportunites", stdout=sortie)
    call_command("expirer_opportunites", stdout=sortie)
    assert [m.to for m in mail.outbox] == [["auteur@exemple.fr"]]
    assert "échéance" in mail.outbox[0].subject and "6 mars 2027" in mail.outbox[0].body
    client.force_login(annonce.auteur)
    client.post(reverse("opportunites:action", args=[annonce.pk, "renouveler"]))
    annonce.refresh_from_db()
    assert annonce.expire_le == datetime.date(2027, 5, 30) and annonce.rappel_envoye_le is None
    client.force_login(lointaine.auteur)  # someone else's post: not renewed
    client.post(reverse("opportunites:action", args=[annonce.pk, "renouveler"]))
    annonce.refresh_from_db()
    assert annonce.expire_le == datetime.date(2027, 5, 30)


def test_purge_apres_la_duree_de_conservation(settings, time_machine):
    settings.OPPORTUNITE_CONSERVATION_JOURS = 30
    time_machine.move_to(MATIN)
    vieille = OpportuniteFactory(statut=Statut.POURVUE, close_le=MATIN - datetime.timedelta(31))
    MessageOpportunite.objects.create(opportunite=vieille, expediteur=f.UserFactory(), texte="x")
    recente = OpportuniteFactory(statut=Statut.RETIREE, close_le=MATIN - datetime.timedelta(29))
    en_ligne = OpportuniteFactory(publiee=True)
    sortie = io.StringIO()
    call_command("expirer_opportunites", stdout=sortie)
    assert "1 annonce(s) close(s) supprimée(s)" in sortie.getvalue()
    assert set(Opportunite.objects.all()) == {recente, en_ligne}
    assert not MessageOpportunite.objects.exists()


def _donnees(commune, **autres):
    return {"qualite_auteur": "professionnel", "nature": "reprise-cession", "titre": "Cabinet",
            "professions": ["medecin-generaliste"], "commune": commune.nom,
            "description": "Texte", "soumettre": "1", **autres}  # fmt: skip


@pytest.mark.parametrize("seuil, publiees, attendu", [(0, 5, "soumise"), (2, 1, "soumise"),
                                                      (2, 2, "publiee")])  # fmt: skip
def test_auteur_de_confiance_publie_directement(client, settings, seuil, publiees, attendu):
    settings.OPPORTUNITE_AUTEURS_DE_CONFIANCE = seuil
    auteur = f.UserFactory(email_verifiee=True)
    for _ in range(publiees):
        OpportuniteFactory(auteur=auteur, statut=Statut.POURVUE, publiee_le=MATIN)
    OpportuniteFactory(auteur=auteur, statut=Statut.REFUSEE)  # refused ones do not count
    commune = f.CommuneFactory()
    client.force_login(auteur)
    assert client.post(reverse("opportunites:publier"), _donnees(commune)).status_code == 302
    nouvelle = Opportunite.objects.get(titre="Cabinet")
    assert nouvelle.statut == attendu
    assert (nouvelle.expire_le is not None) == (attendu == "publiee")


def test_document_pdf_verifie_et_servi_par_le_portail(client):
    auteur = f.UserFactory(email_verifiee=True)
    commune = f.CommuneFactory()
    client.force_login(auteur)
    faux = SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>")
    image = SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    for fichier in (faux, image):
        reponse = client.post(reverse("opportunites:publier"),
                              _donnees(commune, piece_jointe=fichier))  # fmt: skip
        assert reponse.status_code == 200 and "piece_jointe" in reponse.context["form"].errors
    assert not Opportunite.objects.exists()
    pdf = SimpleUploadedFile("plan.pdf", _pdf(), content_type="application/pdf")
    client.post(reverse("opportunites:publier"), _donnees(commune, piece_jointe=pdf))
    annonce = Opportunite.objects.get()
    url = reverse("opportunites:piece_jointe", args=[annonce.pk])
    assert client.get(url).status_code == 200  # the author, before publication
    client.logout()
    assert client.get(url).status_code == 404  # submitted, not published: nobody else
    annonce.publier(moderateur=None)
    annonce.save()
    reponse = client.get(url)
    assert reponse.status_code == 200 and reponse.getvalue().startswith(b"%PDF-")
    assert reponse["Content-Disposition"] == f'attachment; filename="annonce-{annonce.pk}.pdf"'
    assert "sandbox" in reponse["Content-Security-Policy"]
    assert url in client.get(annonce.get_absolute_url()).content.decode()
