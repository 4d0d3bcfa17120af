import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from espace import services
from espace.models import Accompagnement, ChangementEtape
from guichet.csv_export import BOM
from tests.aides.factories import AideFactory
from tests.espace.factories import AccompagnementFactory, QuestionFactory
from tests.rendezvous.factories import LieuFactory, ReferentFactory, RendezVousFactory


def test_ouvrir_depuis_une_question_en_un_clic(client, territoires, referent_a):
    question = QuestionFactory(commune=territoires["commune_a"], profession="infirmier")
    client.force_login(referent_a)
    reponse = client.post(reverse("espace:question_accompagnement", args=[question.pk]))
    accompagnement = Accompagnement.objects.get()
    assert reponse["Location"] == accompagnement.get_absolute_url()
    assert accompagnement.profession == "infirmier"
    assert accompagnement.commune_cible == territoires["commune_a"]
    assert accompagnement.courriel == question.courriel
    assert accompagnement.referent == referent_a
    assert list(accompagnement.questions.all()) == [question]
    assert accompagnement.changements.get().vers == "premier-contact"
    # A second question of the same person joins the same accompaniment.
    autre = QuestionFactory(commune=territoires["commune_a"], courriel=question.courriel)
    client.post(reverse("espace:question_accompagnement", args=[autre.pk]))
    assert Accompagnement.objects.count() == 1 and accompagnement.questions.count() == 2


def test_ouvrir_depuis_un_rendez_vous(client, territoires, referent_a):
    rdv = RendezVousFactory(
        lieu=LieuFactory(departement=territoires["dep_a"]),
        referent=ReferentFactory(utilisateur=referent_a, departements=[territoires["dep_a"]]),
        nom="Léa Durand",
    )
    client.force_login(referent_a)
    client.post(reverse("espace:rendezvous_accompagnement", args=[rdv.uuid]))
    accompagnement = Accompagnement.objects.get()
    assert accompagnement.nom == "Léa Durand" and accompagnement.departement == territoires["dep_a"]
    page = client.get(accompagnement.get_absolute_url()).content.decode()
    assert "Premier entretien installation" in page  # the meeting, found by e-mail


def test_changer_d_etape_jusqu_a_installe(client, territoires, referent_a):
    accompagnement = AccompagnementFactory(
        commune_cible=territoires["commune_a"],
        premier_contact_le=timezone.localdate() - datetime.timedelta(days=30),
    )
    client.force_login(referent_a)
    url = accompagnement.get_absolute_url()
    aujourd_hui = timezone.localdate().isoformat()
    client.post(url, {"etape": "projet", "le": aujourd_hui})
    client.post(url, {"etape": "installe", "le": aujourd_hui})
    accompagnement.refresh_from_db()
    assert accompagnement.etape == "installe"
    assert accompagnement.installe_le == timezone.localdate()
    assert accompagnement.commune_installation == territoires["commune_a"]
    assert accompagnement.jours_jusqu_installation == 30
    historique = list(accompagnement.changements.values_list("de", "vers"))
    assert historique == [("premier-contact", "projet"), ("projet", "installe")]
    assert ChangementEtape.objects.filter(par=referent_a).count() == 2


def test_etape_refusee_sans_rien_changer(client, territoires, referent_a):
    accompagnement = AccompagnementFactory(
        commune_cible=None, departement=territoires["dep_a"], region=territoires["region_a"]
    )
    client.force_login(referent_a)
    reponse = client.post(
        accompagnement.get_absolute_url(),
        {"etape": "installe", "le": timezone.localdate().isoformat()},
    )
    assert "Indiquez la commune d&#x27;installation" in reponse.content.decode()
    accompagnement.refresh_from_db()
    assert accompagnement.etape == "premier-contact" and not accompagnement.changements.exists()


def test_regles_des_etapes(territoires):
    accompagnement = AccompagnementFactory(commune_cible=territoires["commune_a"])
    with pytest.raises(ValidationError):
        accompagnement.changer_etape("premier-contact")
    with pytest.raises(ValidationError):
        accompagnement.changer_etape("projet", le=timezone.localdate() + datetime.timedelta(1))
    with pytest.raises(ValidationError):
        accompagnement.changer_etape("projet", le=datetime.date(2000, 1, 1))
    accompagnement.changer_etape("installe")
    accompagnement.changer_etape("projet")  # a correction: the installation no longer counts
    assert accompagnement.installe_le is None


def test_creer_et_modifier(client, territoires, agent_a, referent_a):
    aide = AideFactory()
    client.force_login(agent_a)
    reponse = client.post(
        reverse("espace:accompagnement_nouveau"),
        {
            "nom": "Sam Exemple",
            "profession": "sage-femme",
            "departement": "A1D",
            "commune_cible": "00001",
            "premier_contact_le": "2026-01-05",
            "aides": [aide.pk],
            "referent": referent_a.pk,
            "notes": "Cherche un local.",
        },
    )
    accompagnement = Accompagnement.objects.get()
    assert reponse["Location"] == accompagnement.get_absolute_url()
    assert accompagnement.region == territoires["region_a"]
    assert list(accompagnement.aides.all()) == [aide] and accompagnement.referent == referent_a
    client.post(
        reverse("espace:accompagnement_modifier", args=[accompagnement.pk]),
        {
            "nom": "Sam Exemple",
            "profession": "sage-femme",
            "departement": "A1D",
            "premier_contact_le": "2026-01-05",
            "notes": "Local trouvé.",
        },
    )
    accompagnement.refresh_from_db()
    assert accompagnement.notes == "Local trouvé." and not accompagnement.aides.exists()


def test_caseload_filtre_recherche_et_csv(client, territoires, referent_a):
    AccompagnementFactory(
        commune_cible=territoires["commune_a"],
        nom="=Alix Formule",
        profession="infirmier",
        referent=referent_a,
    )
    AccompagnementFactory(commune_cible=territoires["commune_a"], nom="Bao Installé", installe=True)
    client.force_login(referent_a)
    url = reverse("espace:accompagnements")
    assert client.get(url, {"etape": "installe"}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"q": "alix"}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"miens": "on"}).context["page_obj"].paginator.count == 1
    export = client.get(url, {"format": "csv", "profession": "infirmier"})
    assert export["Content-Type"].startswith("text/csv")
    texte = export.content.decode("utf-8")
    assert texte.startswith(BOM)
    lignes = texte[1:].strip().split("\r\n")
    assert lignes[0].startswith("nom;courriel;profession")
    assert len(lignes) == 2 and lignes[1].startswith("'=Alix Formule;")


def test_caseload_nombre_de_requetes(
    client, territoires, referent_a, django_assert_max_num_queries
):
    for _ in range(3):
        AccompagnementFactory(commune_cible=territoires["commune_a"], referent=referent_a)
    client.force_login(referent_a)
    with django_assert_max_num_queries(16):
        reponse = client.get(reverse("espace:accompagnements"))
    assert reponse.context["page_obj"].paginator.count == 3


def test_service_ouvrir_ecrit_l_historique(territoires, referent_a):
    accompagnement = services.accompagnement_ouvrir(
        par=referent_a,
        nom="X",
        profession="infirmier",
        departement=territoires["dep_a"],
        region=territoires["region_a"],
    )
    assert accompagnement.referent == referent_a
    assert accompagnement.changements.get().par == referent_a
