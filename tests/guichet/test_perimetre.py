"""Territorial scoping: a staff user of one region can neither list, open, change nor delete
another region's objects, in the admin (and through the shared scoping functions)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from guichet import roles, scoping
from guichet.models import User
from rendezvous.models import Lieu
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory
from tests.rendezvous.factories import LieuFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


@pytest.fixture
def deux_regions():
    na = RegionFactory(nouvelle_aquitaine=True)
    occ = RegionFactory(occitanie=True)
    return {
        "na": na,
        "occ": occ,
        "deux_sevres": DepartementFactory(code="79", nom="Deux-Sèvres", region=na),
        "gers": DepartementFactory(code="32", nom="Gers", region=occ),
    }


@pytest.fixture
def agent_na(deux_regions):
    return UserFactory(agent_ars=True, regions=[deux_regions["na"]])


@pytest.fixture
def agent_occitanie(deux_regions):
    return UserFactory(agent_ars=True, regions=[deux_regions["occ"]])


def test_agent_ne_liste_que_les_agents_de_sa_region(client, agent_na, agent_occitanie):
    client.force_login(agent_na)
    html = client.get(reverse("admin:guichet_user_changelist")).content.decode()
    assert agent_na.email in html
    assert agent_occitanie.email not in html


def test_agent_ne_peut_ni_ouvrir_ni_modifier_ni_supprimer_hors_region(
    client, agent_na, agent_occitanie
):
    client.force_login(agent_na)
    change = reverse("admin:guichet_user_change", args=[agent_occitanie.pk])
    delete = reverse("admin:guichet_user_delete", args=[agent_occitanie.pk])
    # Django's admin redirects to the index with a message for an object outside the queryset.
    assert client.get(change).status_code == 302
    assert client.post(change, {"email": "pirate@exemple.fr"}).status_code == 302
    assert client.post(delete, {"post": "yes"}).status_code in {302, 403}
    agent_occitanie.refresh_from_db()
    assert agent_occitanie.email != "pirate@exemple.fr"
    assert User.objects.filter(pk=agent_occitanie.pk).exists()


def test_agent_modifie_un_agent_de_sa_region(client, agent_na, deux_regions):
    collegue = UserFactory(agent_ars=True, regions=[deux_regions["na"]], last_name="Avant")
    client.force_login(agent_na)
    url = reverse("admin:guichet_user_change", args=[collegue.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "email": collegue.email,
            "first_name": "Sam",
            "last_name": "Après",
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=roles.AGENT_ARS).pk],
            "regions": [deux_regions["na"].pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    collegue.refresh_from_db()
    assert collegue.last_name == "Après"


def test_agent_ne_peut_pas_rattacher_un_agent_a_une_autre_region(client, agent_na, deux_regions):
    collegue = UserFactory(agent_ars=True, regions=[deux_regions["na"]])
    client.force_login(agent_na)
    url = reverse("admin:guichet_user_change", args=[collegue.pk])
    response = client.post(
        url,
        {
            "email": collegue.email,
            "is_active": "on",
            "is_staff": "on",
            "regions": [deux_regions["occ"].pk],
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert list(collegue.regions.all()) == [deux_regions["na"]]


def test_agent_ne_peut_pas_se_donner_le_perimetre_national(client, agent_na):
    client.force_login(agent_na)
    url = reverse("admin:guichet_user_change", args=[agent_na.pk])
    html = client.get(url).content.decode()
    assert 'name="perimetre_national"' not in html
    assert 'name="is_superuser"' not in html


def test_communes_et_autocompletion_limitees_au_perimetre(client, deux_regions):
    niort = CommuneFactory(nom="Niort", departement=deux_regions["deux_sevres"])
    auch = CommuneFactory(nom="Auch", departement=deux_regions["gers"])
    agent = UserFactory(referent=True, departements=[deux_regions["deux_sevres"]])
    client.force_login(agent)
    html = client.get(reverse("admin:guichet_commune_changelist")).content.decode()
    assert "Niort" in html and "Auch" not in html
    assert client.get(reverse("admin:guichet_commune_change", args=[auch.pk])).status_code == 302
    assert client.get(reverse("admin:guichet_commune_change", args=[niort.pk])).status_code == 200
    # Reference data is read-only for everyone but superusers.
    assert client.post(reverse("admin:guichet_commune_delete", args=[niort.pk])).status_code == 403


def test_national_voit_tout(client, agent_na, agent_occitanie):
    admin = UserFactory(admin_national=True)
    client.force_login(admin)
    html = client.get(reverse("admin:guichet_user_changelist")).content.decode()
    assert agent_na.email in html and agent_occitanie.email in html


def test_dans_le_perimetre_par_departement_et_region(deux_regions):
    """The paths come from the model's declaration (a Lieu: its département and region)."""
    LieuFactory(nom="Niort", departement=deux_regions["deux_sevres"])
    LieuFactory(nom="Auch", departement=deux_regions["gers"])
    referent = UserFactory(is_staff=True, departements=[deux_regions["deux_sevres"]])
    agent = UserFactory(is_staff=True, regions=[deux_regions["occ"]])
    public = UserFactory()

    def noms(user):
        qs = Lieu.objects.all()
        return set(scoping.dans_le_perimetre(qs, user).values_list("nom", flat=True))

    assert noms(referent) == {"Niort"}
    assert noms(agent) == {"Auch"}
    assert noms(public) == set()


def test_groupes_et_permissions():
    agent = Group.objects.get(name=roles.AGENT_ARS)
    referent = Group.objects.get(name=roles.REFERENT_INSTALLATION)
    national = Group.objects.get(name=roles.ADMINISTRATEUR_NATIONAL)
    codes = set(agent.permissions.values_list("codename", flat=True))
    assert {"view_commune", "view_user", "change_user"} <= codes
    assert "delete_commune" not in codes
    assert "change_pageeditoriale" not in codes
    assert "change_user" not in set(referent.permissions.values_list("codename", flat=True))
    assert "change_pageeditoriale" in set(national.permissions.values_list("codename", flat=True))


def _permissions_declarees(nom):
    """What roles.PERMISSIONS_DES_ROLES gives ``nom``, read from the rules, not the handler."""
    attendu = set()
    for cible, actions in roles.PERMISSIONS_DES_ROLES[nom].items():
        app_label, _, modele = cible.partition(".")
        qs = Permission.objects.filter(content_type__app_label=app_label)
        for perm in qs.filter(content_type__model=modele) if modele else qs:
            action = perm.codename.split("_", 1)[0]
            if action in actions and (
                perm.content_type.model != "jeudedonnees" or action == "view"
            ):
                attendu.add(perm.codename)
    return attendu


@pytest.mark.django_db(transaction=True)
def test_apres_un_flush_chaque_role_a_exactement_ses_permissions():
    """post_migrate runs once per app; the groups are set on the last app's signal, so the
    permissions of apps listed after the core (opportunites, espace) are there too."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    for nom in roles.PERMISSIONS_DES_ROLES:
        codes = set(Group.objects.get(name=nom).permissions.values_list("codename", flat=True))
        assert codes == _permissions_declarees(nom), nom

    def codes(nom):
        return set(Group.objects.get(name=nom).permissions.values_list("codename", flat=True))

    assert {"change_opportunite", "view_accompagnement"} <= codes(roles.AGENT_ARS)
    national = codes(roles.ADMINISTRATEUR_NATIONAL)
    assert "view_jeudedonnees" in national
    assert "change_jeudedonnees" not in national


def test_pages_editoriales_reservees_au_national(client, agent_na, pages_editoriales):
    from guichet.models import PageEditoriale

    agent_na.user_permissions.add(Permission.objects.get(codename="change_pageeditoriale"))
    client.force_login(agent_na)
    page = PageEditoriale.objects.get(cle="cookies")
    url = reverse("admin:guichet_pageeditoriale_change", args=[page.pk])
    client.post(url, {"cle": "cookies", "titre": "Piraté", "contenu": ""})
    page.refresh_from_db()
    assert page.titre == "Gestion des cookies"
