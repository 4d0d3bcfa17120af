"""The booking domain moved from ``installation`` to ``rendezvous``: tables and rows survive."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.factories import UserFactory
from tests.rendezvous.factories import territoire

AVANT = [("installation", "0003_documents_des_aides"), ("rendezvous", None)]


def _migrer(cibles):
    MigrationExecutor(connection).migrate(cibles)
    noeuds = [cible for cible in cibles if cible[1] is not None]
    return MigrationExecutor(connection).loader.project_state(noeuds).apps


@pytest.mark.longue
@pytest.mark.django_db(transaction=True)
def test_les_rendez_vous_survivent_au_demenagement_de_l_application():
    departement = territoire()
    utilisateur = UserFactory(email="referente@ars.example.fr")
    ContentType.objects.filter(app_label="rendezvous").delete()  # as before the move
    ancien_type = ContentType.objects.create(app_label="installation", model="rendezvous")

    anciens = _migrer(AVANT)
    Referent = anciens.get_model("installation", "Referent")
    Lieu = anciens.get_model("installation", "Lieu")
    Motif = anciens.get_model("installation", "MotifRendezVous")
    RendezVous = anciens.get_model("installation", "RendezVous")
    referent = Referent.objects.create(utilisateur_id=utilisateur.pk, jeton_agenda="jeton-flux")
    referent.departements.add(departement.pk)
    lieu = Lieu.objects.create(nom="Délégation", departement_id=departement.pk)
    motif = Motif.objects.create(nom="Premier entretien", slug="premier-entretien")
    debut = datetime.datetime(2026, 12, 7, 13, 0, tzinfo=datetime.UTC)
    RendezVous.objects.create(
        referent=referent,
        motif=motif,
        lieu=lieu,
        debut=debut,
        fin=debut + datetime.timedelta(minutes=45),
        fin_bloquee=debut + datetime.timedelta(hours=1),
        nom="Léa Durand",
        courriel="lea@exemple.fr",
        jeton_empreinte="0" * 64,
    )

    _migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from rendezvous.models import Referent as NouveauReferent
    from rendezvous.models import RendezVous as NouveauRendezVous

    rdv = NouveauRendezVous.objects.select_related("referent__utilisateur", "motif", "lieu").get()
    assert (rdv.nom, rdv.debut, rdv.motif.slug, rdv.lieu.nom) == (
        "Léa Durand",
        debut,
        "premier-entretien",
        "Délégation",
    )
    assert rdv.referent.utilisateur == utilisateur
    assert list(NouveauReferent.objects.get().departements.all()) == [departement]
    # The exclusion constraint is still there: an overlapping booking is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        NouveauRendezVous.objects.create(
            referent=rdv.referent,
            motif=rdv.motif,
            lieu=rdv.lieu,
            debut=debut + datetime.timedelta(minutes=30),
            fin=debut + datetime.timedelta(hours=1),
            fin_bloquee=debut + datetime.timedelta(hours=1),
            nom="Autre",
            courriel="b@exemple.fr",
        )
    # Content types (and so permissions and admin history) follow the models.
    ancien_type.refresh_from_db()
    assert ancien_type.app_label == "rendezvous"
