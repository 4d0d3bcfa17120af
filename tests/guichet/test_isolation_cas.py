"""The holes found by the attack on the back-office, one regression test each."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from guichet import roles
from tests import factories as f
from tests.aides.factories import AideFactory, OrganisationFactory
from tests.guichet.test_isolation import donnees_du_formulaire
from tests.installation.factories import ParcoursFactory


@pytest.fixture(autouse=True)
def _hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def territoires(db):
    na = f.RegionFactory(nouvelle_aquitaine=True)
    mq = f.RegionFactory(martinique=True)
    return {
        "na": na,
        "mq": mq,
        "79": f.DepartementFactory(code="79", nom="Deux-Sèvres", region=na),
        "972": f.DepartementFactory(code="972", nom="Martinique", region=mq),
    }


@pytest.fixture
def agent_na(territoires, client):
    agent = f.UserFactory(agent_ars=True, regions=[territoires["na"]], email="agent@na.fr")
    client.force_login(agent)
    return agent


@pytest.fixture
def racine(db):
    from django.test import Client

    c = Client()
    c.force_login(f.UserFactory(superuser=True, email="racine@ars.fr"))
    return c


def test_un_agent_regional_ne_cree_pas_de_bulletin_national_par_le_clean(
    territoires, agent_na, client
):
    from demographie.models import Bulletin

    reponse = client.post(
        reverse("admin:demographie_bulletin_add"),
        {"annee": "2025", "niveau": "france", "region": territoires["na"].pk},
    )
    assert reponse.status_code == 200
    assert "hors de votre périmètre" in reponse.content.decode()
    assert not Bulletin.objects.exists()


def test_une_aide_regionale_ne_devient_pas_nationale(territoires, agent_na, client, racine):
    aide = AideFactory(portee="region")
    aide.regions.set([territoires["na"]])
    url = reverse("admin:aides_aide_change", args=[aide.pk])
    donnees, _, _ = donnees_du_formulaire(racine, url, type(aide))
    donnees["portee"] = ["national"]
    reponse = client.post(url, donnees)
    assert reponse.status_code == 200
    aide.refresh_from_db()
    assert aide.portee == "region"


def test_une_aide_partagee_garde_la_region_que_l_editeur_ne_gere_pas(
    territoires, agent_na, client, racine
):
    aide = AideFactory(portee="region")
    aide.regions.set([territoires["na"], territoires["mq"]])
    url = reverse("admin:aides_aide_change", args=[aide.pk])
    donnees, _, _ = donnees_du_formulaire(client, url, type(aide))
    assert donnees["regions"] == [str(territoires["na"].pk)]  # Martinique is not even shown
    donnees["nom"] = ["Aide partagée, renommée"]
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302
    aide.refresh_from_db()
    assert aide.nom == "Aide partagée, renommée"
    assert set(aide.regions.all()) == {territoires["na"], territoires["mq"]}


def test_pas_de_mot_de_passe_pour_un_compte_qui_appartient_aussi_a_une_autre_region(
    territoires, agent_na, client
):
    partage = f.UserFactory(agent_ars=True, regions=[territoires["na"], territoires["mq"]])
    url = reverse("admin:auth_user_password_change", args=[partage.pk])
    reponse = client.post(url, {"password1": "Nouveau-mot-2026!", "password2": "Nouveau-mot-2026!"})
    assert reponse.status_code in (302, 403, 404)
    partage.refresh_from_db()
    assert partage.check_password("mot-de-passe-de-test-solide")
    fiche = client.get(reverse("admin:guichet_user_change", args=[partage.pk]))
    assert fiche.status_code == 200 and fiche.context["has_change_permission"] is False


def test_un_agent_ne_s_accorde_pas_le_role_national(territoires, agent_na, client):
    from django.contrib.auth.models import Group

    url = reverse("admin:guichet_user_change", args=[agent_na.pk])
    donnees, adminform, _ = donnees_du_formulaire(client, url, type(agent_na))
    groupes = adminform.form.fields["groups"].queryset
    national = Group.objects.get(name=roles.ADMINISTRATEUR_NATIONAL)
    assert national not in groupes
    donnees["groups"] = [str(national.pk)]
    client.post(url, donnees)
    assert not agent_na.groups.filter(pk=national.pk).exists()
    assert not agent_na.__class__.objects.get(pk=agent_na.pk).perimetre_national


def test_la_redirection_voir_sur_le_site_ne_revele_pas_un_brouillon_d_ailleurs(
    territoires, agent_na, client
):
    aide = AideFactory(portee="region", brouillon=True)
    aide.regions.set([territoires["mq"]])
    ct = ContentType.objects.get_for_model(aide)
    assert client.get(reverse("admin:view_on_site", args=[ct.pk, aide.pk])).status_code == 404
    # A NUL byte is refused before any view runs (guichet.securite.RequeteHostileMiddleware).
    assert client.get(f"/gestion/r/{ct.pk}/abc%00/").status_code in (400, 404)
    aide.regions.set([territoires["na"]])
    assert client.get(reverse("admin:view_on_site", args=[ct.pk, aide.pk])).status_code == 302


def test_une_etape_n_est_pas_rattachee_au_parcours_d_une_autre_region(
    territoires, agent_na, client
):
    from installation.models import Etape

    autre = ParcoursFactory(region=territoires["mq"])
    reponse = client.post(
        reverse("admin:installation_etape_add"),
        {
            "parcours": autre.pk,
            "phase": "ordre",
            "ordre": 1,
            "slug": "intruse",
            "titre": "Étape intruse",
            "description": "x",
            "region": territoires["na"].pk,
        },
    )
    assert reponse.status_code == 200
    assert not Etape.objects.filter(slug="intruse").exists()


def test_un_referent_n_est_pas_lie_au_compte_d_une_autre_region(territoires, agent_na, client):
    from rendezvous.models import Referent

    etranger = f.UserFactory(referent=True, regions=[territoires["mq"]])
    reponse = client.post(
        reverse("admin:rendezvous_referent_add"),
        {
            "utilisateur": etranger.pk,
            "departements": [territoires["79"].pk],
            "actif": "on",
            **_inlines_vides("plages", "absences"),
        },
    )
    assert reponse.status_code == 200
    assert not Referent.objects.filter(utilisateur=etranger).exists()


def test_un_financeur_d_une_autre_region_est_refuse_dans_l_inline(territoires, agent_na, client):
    mine = OrganisationFactory(region=territoires["na"])
    etrangere = OrganisationFactory(region=territoires["mq"])
    aide = AideFactory(portee="region", financeurs=[mine])
    aide.regions.set([territoires["na"]])
    url = reverse("admin:aides_aide_change", args=[aide.pk])
    donnees, _, inlines = donnees_du_formulaire(client, url, type(aide))
    prefixe = inlines[0].prefix
    donnees[f"{prefixe}-0-organisation"] = [str(etrangere.pk)]
    reponse = client.post(url, donnees)
    assert reponse.status_code == 200
    assert list(aide.financements.values_list("organisation", flat=True)) == [mine.pk]


def test_une_action_ne_supprime_pas_un_contenu_national(territoires, agent_na, client):
    from installation.models import Parcours

    national = ParcoursFactory()
    reponse = client.post(
        reverse("admin:installation_parcours_changelist"),
        {"action": "delete_selected", "_selected_action": [national.pk], "post": "yes"},
    )
    assert reponse.status_code == 302
    assert Parcours.objects.filter(pk=national.pk).exists()


def test_les_simulations_du_public_sont_hors_de_portee_des_agents(territoires, agent_na, client):
    national = f.UserFactory(admin_national=True, email="national@ars.fr")
    for agent in (agent_na, national):
        client.force_login(agent)
        assert (
            client.get(reverse("admin:aides_simulationenregistree_changelist")).status_code == 403
        )
        assert client.get(reverse("admin:aides_simulationenregistree_add")).status_code == 403


def _inlines_vides(*prefixes):
    donnees = {}
    for prefixe in prefixes:
        donnees.update({f"{prefixe}-TOTAL_FORMS": "0", f"{prefixe}-INITIAL_FORMS": "0"})
    return donnees


def test_l_export_de_l_agenda_ne_livre_pas_les_demandeurs_d_une_autre_region(
    territoires, agent_na, client
):
    from tests.rendezvous.factories import LieuFactory, ReferentFactory, RendezVousFactory

    ici = ReferentFactory(departements=[territoires["79"]])
    ici.utilisateur.departements.set([territoires["79"]])
    ailleurs = ReferentFactory(departements=[territoires["972"]])
    RendezVousFactory(
        referent=ici, lieu=LieuFactory(departement=territoires["79"]), nom="Demandeur Deux-Sèvres"
    )
    RendezVousFactory(
        referent=ailleurs,
        lieu=LieuFactory(departement=territoires["972"]),
        nom="Demandeur Martinique",
    )
    url = reverse("rendezvous:agenda_export")
    client.force_login(ici.utilisateur)
    assert "Demandeur Deux-Sèvres" in client.get(url).content.decode("utf-8-sig")
    assert client.get(url, {"referent": ailleurs.pk}).status_code == 404
    client.force_login(agent_na)  # an ARS agent edits content, never reads applicants
    reponse = client.get(url, {"referent": ici.pk})
    assert "Demandeur" not in reponse.content.decode("utf-8-sig")
