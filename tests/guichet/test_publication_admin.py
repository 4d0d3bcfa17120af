"""Publication through the admin: every publishable model, its form and its actions.

Generated from the admin registry: each registered ``Publiable`` model is published, archived
and put back to draft through its change form and through the changelist's actions (real admin
URLs, staff users with MFA). A forbidden transition answers in French and changes nothing; a
user of another territory changes nothing either; each change leaves an audit entry.
"""

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from guichet.publication import Publiable, StatutPublication
from tests import factories as f
from tests.constructeurs import CONSTRUCTEURS
from tests.guichet.test_isolation import donnees_du_formulaire

PUBLIABLES = sorted(m._meta.label_lower for m in admin.site._registry if issubclass(m, Publiable))
BROUILLON, PUBLIEE, ARCHIVEE = (
    StatutPublication.BROUILLON,
    StatutPublication.PUBLIEE,
    StatutPublication.ARCHIVEE,
)


def test_les_contenus_publiables_de_l_administration_sont_trouves():
    attendus = {"guichet.pageeditoriale", "installation.parcours", "installation.document"}
    attendus.add("aides.aide")
    assert attendus <= set(PUBLIABLES)


@pytest.fixture(autouse=True)
def _hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def monde(db):
    na = f.RegionFactory(nouvelle_aquitaine=True)
    mq = f.RegionFactory(martinique=True)
    return {
        "dep": f.DepartementFactory(code="79", nom="Deux-Sèvres", region=na),
        "national": f.UserFactory(admin_national=True, email="national@ars.fr"),
        "regional": f.UserFactory(agent_ars=True, regions=[na], email="na@ars.fr"),
        "etranger": f.UserFactory(agent_ars=True, regions=[mq], email="mq@ars.fr"),
    }


class Cas:
    """One publishable model: an object, the user who edits it, one who may not."""

    def __init__(self, monde, label):
        from django.apps import apps

        self.modele = apps.get_model(label)
        construire = CONSTRUCTEURS[label]
        self.obj = construire(monde["dep"])
        national = self.obj is None
        if national:
            self.obj = construire(None)
        self.autre = construire(None if national else monde["dep"])
        if self.autre.pk == self.obj.pk:
            self.autre = self.modele._default_manager.exclude(pk=self.obj.pk).first()
        # national content: national staff edit it, a regional agent may not
        self.editeur = monde["national" if national else "regional"]
        self.intrus = monde["regional" if national else "etranger"]
        opts = self.modele._meta
        self.changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        self.change = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.obj.pk]
        )

    def client(self, user):
        client = Client()
        client.force_login(user)
        return client

    def statut(self, obj=None):
        obj = obj or self.obj
        return self.modele._default_manager.values_list("statut_publication", flat=True).get(
            pk=obj.pk
        )

    def mettre(self, statut, *objets):
        pks = [o.pk for o in objets or [self.obj]]
        self.modele._default_manager.filter(pk__in=pks).update(statut_publication=statut)

    def poster_formulaire(self, client, statut):
        donnees, _, _ = donnees_du_formulaire(self.client(self.editeur), self.change, self.modele)
        donnees["statut_publication"] = [statut]
        return client.post(self.change, donnees)

    def action(self, client, action, *objets):
        return client.post(
            self.changelist,
            {"action": action, "_selected_action": [o.pk for o in objets or [self.obj]]},
            follow=True,
        )

    def derniere_trace(self):
        return LogEntry.objects.get_for_object(self.obj).latest("timestamp")


def _messages(reponse) -> str:
    return " ".join(str(m) for m in get_messages(reponse.wsgi_request))


@pytest.mark.parametrize("label", PUBLIABLES)
def test_le_formulaire_passe_par_les_transitions(monde, label):
    cas = Cas(monde, label)
    client = cas.client(cas.editeur)
    cas.mettre(BROUILLON)

    reponse = cas.poster_formulaire(client, ARCHIVEE)  # a draft is never archived
    assert reponse.status_code == 200
    assert "Seul un contenu publié peut être archivé." in reponse.content.decode()
    assert cas.statut() == BROUILLON

    for statut in (PUBLIEE, ARCHIVEE, BROUILLON):
        reponse = cas.poster_formulaire(client, statut)
        assert reponse.status_code == 302, reponse.content.decode()[-2000:]
        assert cas.statut() == statut
        trace = cas.derniere_trace()
        assert trace.changes["statut_publication"][1] == statut
        assert trace.actor == cas.editeur


@pytest.mark.parametrize("label", PUBLIABLES)
def test_les_actions_passent_par_les_transitions(monde, label):
    cas = Cas(monde, label)
    client = cas.client(cas.editeur)
    cas.mettre(PUBLIEE)

    for action, message in (("publier", "déjà publié"), ("repasser_en_brouillon", None)):
        if message:  # already published: refused, in French, nothing changed
            reponse = cas.action(client, action)
            assert (
                f"Action refusée, rien n'a été modifié : « {cas.obj} » : Ce contenu est "
                f"{message}" in _messages(reponse)
            )
            assert cas.statut() == PUBLIEE
    for action, statut in (
        ("archiver", ARCHIVEE),
        ("repasser_en_brouillon", BROUILLON),
        ("publier", PUBLIEE),
    ):
        reponse = cas.action(client, action)
        assert reponse.status_code == 200
        assert "1 contenu" in _messages(reponse)
        assert cas.statut() == statut
        assert cas.derniere_trace().changes["statut_publication"][1] == statut
        assert cas.derniere_trace().actor == cas.editeur

    # all or nothing: a draft in the selection stops the archiving of a published object
    cas.mettre(BROUILLON, cas.autre)
    reponse = cas.action(client, "archiver", cas.obj, cas.autre)
    assert "Seul un contenu publié peut être archivé." in _messages(reponse)
    assert (cas.statut(), cas.statut(cas.autre)) == (PUBLIEE, BROUILLON)


@pytest.mark.parametrize("label", PUBLIABLES)
def test_un_utilisateur_d_un_autre_territoire_ne_change_pas_la_publication(monde, label):
    cas = Cas(monde, label)
    intrus = cas.client(cas.intrus)
    for statut, action in (
        (PUBLIEE, "archiver"),
        (PUBLIEE, "repasser_en_brouillon"),
        (BROUILLON, "publier"),
    ):
        cas.mettre(statut)
        cible = {"archiver": ARCHIVEE, "publier": PUBLIEE}.get(action, BROUILLON)
        reponse = cas.poster_formulaire(intrus, cible)
        assert reponse.status_code in (302, 403, 404) and cas.statut() == statut
        if reponse.status_code == 302:  # sent back: the object is not theirs to change
            assert reponse["Location"] != cas.changelist
        reponse = cas.action(intrus, action)
        assert cas.statut() == statut
        assert "1 contenu" not in _messages(reponse)


@pytest.mark.parametrize("label", PUBLIABLES)
def test_un_nouveau_contenu_nait_brouillon_ou_publie_jamais_archive(monde, rf, label):
    from django.apps import apps

    modele = apps.get_model(label)
    requete = rf.get("/")
    requete.user = monde["national"]
    formulaire = admin.site._registry[modele].get_form(requete, None, change=False)
    erreurs = {
        statut: formulaire(data={"statut_publication": statut}).errors.get("statut_publication")
        for statut in StatutPublication.values
    }
    assert erreurs == {
        BROUILLON: None,
        PUBLIEE: None,
        ARCHIVEE: ["Seul un contenu publié peut être archivé."],
    }
