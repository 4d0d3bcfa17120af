import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rendezvous.models import RendezVous
from tests.factories import UserFactory
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    RendezVousFactory,
    martinique,
    territoire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offre():
    dep = territoire()
    motif = MotifFactory(slug="premier-entretien", delai_minimum_heures=0)
    referent = ReferentFactory(departements=[dep])
    PlageFactory(referent=referent, motifs=[motif], lieu=LieuFactory(departement=dep),
                 date_debut=timezone.localdate(), heure_debut=datetime.time(0, 0),
                 heure_fin=datetime.time(23, 59))  # fmt: skip
    return dep, motif, referent


def premier_creneau(client, dep, motif):
    html = client.get(reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) +
                      "?semaine=" + (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
                      ).content.decode()  # fmt: skip
    return re.search(r'reserver/\?creneau=([\d]+-[\dT]+)"', html).group(1)


def formulaire(client, dep, motif, cle):
    url = reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={cle}"
    html = client.get(url).content.decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    return url, nonce, html


def test_parcours_complet_et_double_soumission(client, offre, django_capture_on_commit_callbacks):
    dep, motif, referent = offre
    assert client.get(reverse("rendezvous:accueil"), {"departement": dep.code}).url == reverse(
        "rendezvous:motifs", args=[dep.code]
    )
    assert motif.nom in client.get(reverse("rendezvous:motifs", args=[dep.code])).content.decode()
    cle = premier_creneau(client, dep, motif)
    url, nonce, html = formulaire(client, dep, motif, cle)
    assert "Base légale" in html and "anonymisées 12 mois" in html
    donnees = {"creneau": cle, "nonce": nonce, "nom": "Léa Durand", "courriel": "lea@exemple.fr"}
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, donnees)
    rdv = RendezVous.objects.get()
    assert reponse.url == reverse("rendezvous:confirmation", args=[rdv.uuid])
    assert "Votre rendez-vous est confirmé" in client.get(reponse.url).content.decode()
    # The same form sent again (double click, back button) leads to the same booking.
    assert client.post(url, donnees).url == reponse.url
    assert RendezVous.objects.count() == 1 and len(mail.outbox) == 2


def test_formulaire_invalide_reaffiche_sans_rien_creer(client, offre):
    dep, motif, _ = offre
    cle = premier_creneau(client, dep, motif)
    url, nonce, _ = formulaire(client, dep, motif, cle)
    html = client.post(url, {"creneau": cle, "nonce": nonce, "nom": "",
                             "courriel": "pas-un-courriel"}).content.decode()  # fmt: skip
    assert (
        "Saisissez une adresse de courriel valide." in html and "Ce champ est obligatoire." in html
    )
    assert not RendezVous.objects.exists()


def test_creneau_pris_entre_temps_message_clair(client, offre):
    dep, motif, referent = offre
    cle = premier_creneau(client, dep, motif)
    url, nonce, _ = formulaire(client, dep, motif, cle)
    from rendezvous.creneaux import lire_cle

    _, debut = lire_cle(cle)
    RendezVousFactory(referent=referent, motif=motif, debut=debut)
    reponse = client.post(url, {"creneau": cle, "nonce": nonce, "nom": "Léa",
                                "courriel": "lea@exemple.fr"}, follow=True)  # fmt: skip
    html = reponse.content.decode()
    assert "Ce créneau vient d&#x27;être réservé, choisissez-en un autre." in html
    assert "créneau" in html and reponse.status_code == 200
    assert RendezVous.objects.count() == 1


def test_confirmation_reservee_a_la_session(client, offre):
    rdv = RendezVousFactory()
    assert client.get(reverse("rendezvous:confirmation", args=[rdv.uuid])).status_code == 404


def test_fuseau_indique_outre_mer(client):
    dep = martinique()
    motif = MotifFactory(slug="entretien-mq", delai_minimum_heures=0)
    referent = ReferentFactory(departements=[dep])
    PlageFactory(referent=referent, motifs=[motif], lieu=LieuFactory(departement=dep),
                 date_debut=timezone.localdate())  # fmt: skip
    html = client.get(reverse("rendezvous:creneaux", args=["972", motif.slug]) + "?semaine="
                      + (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
                      ).content.decode()  # fmt: skip
    assert "heure de la Martinique" in html and "différente de l&#x27;heure de Paris" not in html
    assert "(différente de l'heure de Paris)" in html
    assert ">09:00<" in html


def test_lien_personnel_affiche_puis_annule(client, offre, django_capture_on_commit_callbacks):
    dep, motif, referent = offre
    from rendezvous import services
    from rendezvous.creneaux import lire_cle

    _, debut = lire_cle(premier_creneau(client, dep, motif))
    rdv, jeton = services.rendezvous_reserver(
        departement=dep, motif=motif, referent_id=referent.pk, debut=debut,
        demandeur={"nom": "Léa", "courriel": "lea@exemple.fr"},
    )  # fmt: skip
    url = reverse("rendezvous:gerer", args=[jeton])
    assert "Annuler ce rendez-vous" in client.get(url).content.decode()
    rdv.refresh_from_db()
    assert rdv.statut == "confirme"  # GET never acts
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "annuler"})
    rdv.refresh_from_db()
    assert rdv.statut == "annule-usager"
    assert client.get(reverse("rendezvous:gerer", args=["faux-jeton"])).status_code == 404


def test_lien_expire_apres_le_rendez_vous(client):
    rdv = RendezVousFactory(debut=timezone.now() - datetime.timedelta(hours=2))
    jeton = rdv.nouveau_jeton()
    rdv.save()
    assert client.get(reverse("rendezvous:gerer", args=[jeton])).status_code == 404


def test_delai_d_annulation_depasse(client):
    rdv = RendezVousFactory(debut=timezone.now() + datetime.timedelta(hours=3))
    jeton = rdv.nouveau_jeton()
    rdv.save()
    url = reverse("rendezvous:gerer", args=[jeton])
    assert "ne peut plus être annulé en ligne" in client.get(url).content.decode()
    client.post(url, {"action": "annuler"})
    rdv.refresh_from_db()
    assert rdv.statut == "confirme"


def test_lien_limite_en_debit(client):
    for _ in range(20):
        client.get(reverse("rendezvous:gerer", args=["essai"]))
    assert client.get(reverse("rendezvous:gerer", args=["essai"])).status_code == 429


def test_profil_prerempli_et_rendez_vous_dans_le_compte(client, offre):
    dep, motif, _ = offre
    user = UserFactory(first_name="Léa", last_name="Durand", profession="infirmier")
    client.force_login(user)
    cle = premier_creneau(client, dep, motif)
    _, _, html = formulaire(client, dep, motif, cle)
    assert 'value="Léa Durand"' in html and f'value="{user.email}"' in html
    RendezVousFactory(utilisateur=user, motif=motif)
    assert motif.nom in client.get(reverse("guichet:mon_compte")).content.decode()


class TestAgendaDuReferent:
    def test_le_referent_voit_son_agenda(self, client, offre, django_assert_max_num_queries):
        dep, motif, referent = offre
        debut = timezone.now() + datetime.timedelta(days=2)
        RendezVousFactory(referent=referent, motif=motif, debut=debut, nom="Léa Durand")
        RendezVousFactory(referent=referent, motif=motif, nom="Paul Martin",
                          debut=debut + datetime.timedelta(hours=2))  # fmt: skip
        client.force_login(referent.utilisateur)
        # 12, and the content versions the site configuration is kept under (guichet.cache)
        with django_assert_max_num_queries(13):
            html = client.get(reverse("rendezvous:agenda")).content.decode()
        assert "Léa Durand" in html and "Paul Martin" in html
        csv = client.get(reverse("rendezvous:agenda_export")).content.decode("utf-8-sig")
        assert "Léa Durand" in csv
        flux = client.get(reverse("rendezvous:flux_ical", args=[referent.jeton_agenda]))
        assert b"BEGIN:VEVENT" in flux.content and b"Durand" not in flux.content

    def test_statut_apres_le_rendez_vous(self, client, offre):
        _, motif, referent = offre
        rdv = RendezVousFactory(
            referent=referent, motif=motif, debut=timezone.now() - datetime.timedelta(hours=1)
        )
        client.force_login(referent.utilisateur)
        client.post(reverse("rendezvous:agenda_statut", args=[rdv.uuid]), {"statut": "honore"})
        rdv.refresh_from_db()
        assert rdv.statut == "honore"

    def test_autre_territoire_ne_voit_rien(self, client, offre):
        _, motif, referent = offre
        rdv = RendezVousFactory(referent=referent, motif=motif, nom="Léa Durand")
        autre = ReferentFactory(departements=[martinique()])
        client.force_login(autre.utilisateur)
        html = client.get(reverse("rendezvous:agenda")).content.decode()
        assert "Léa Durand" not in html
        assert (
            client.get(reverse("rendezvous:agenda"), {"referent": referent.pk}).status_code == 404
        )
        assert client.get(reverse("rendezvous:agenda_export"),
                          {"referent": referent.pk}).status_code == 404  # fmt: skip
        client.post(reverse("rendezvous:agenda_statut", args=[rdv.uuid]), {"statut": "absent"})
        rdv.refresh_from_db()
        assert rdv.statut == "confirme"

    def test_rotation_du_flux(self, client, offre):
        _, _, referent = offre
        ancien = referent.jeton_agenda
        client.force_login(referent.utilisateur)
        client.post(reverse("rendezvous:agenda_nouveau_jeton"))
        referent.refresh_from_db()
        assert referent.jeton_agenda != ancien
        assert client.get(reverse("rendezvous:flux_ical", args=[ancien])).status_code == 404

    def test_public_exclu(self, client):
        assert client.get(reverse("rendezvous:agenda")).status_code == 302
