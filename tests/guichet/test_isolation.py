"""The isolation matrix: every admin model × every staff role × every admin action.

Generated from the admin registry, the scope declarations (``<app>/perimetres.py``) and the
builders (``tests/constructeurs.py``). For each model and role, an object of another territory
(Martinique) is never listed, shown, changed, deleted (directly or by action), added, reached by
its history, the "view on site" redirect or an autocomplete; every foreign key and many-to-many
field pointed at another territory's object in a POST, on the form and on its inlines, is
refused. The same actions on the role's own territory (Deux-Sèvres, in Nouvelle-Aquitaine)
succeed whenever the role's permissions allow them. National objects are changed by national
administrators only.
"""

import datetime
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.urls import reverse

from guichet import scoping
from guichet.admin_scoping import PerimetreAdminMixin, perimetre_partout
from tests import factories as f
from tests.constructeurs import CONSTRUCTEURS, PROPRIETAIRES

ROLES = ["national", "regional", "departemental", "referent"]
ACTIONS = ["changelist", "view", "history", "redirect", "change", "add", "delete", "action",
           "autocomplete", "fk"]  # fmt: skip

perimetre_partout(admin.site)
MODELES = sorted(m._meta.label_lower for m in admin.site._registry)


# -- consistency: nothing registered in the admin escapes the declarations


def test_chaque_modele_de_l_administration_declare_son_perimetre():
    sans = [label for label in MODELES if label not in scoping.PERIMETRES]
    assert not sans, f"déclarez leur périmètre dans <app>/perimetres.py : {sans}"


def test_chaque_modele_de_l_administration_a_un_constructeur():
    sans = [label for label in MODELES if label not in CONSTRUCTEURS]
    assert not sans, f"ajoutez un constructeur dans tests/constructeurs.py : {sans}"


def test_chaque_administration_et_chaque_inline_appliquent_le_perimetre(rf):
    request = rf.get("/")
    request.user = f.UserFactory.build(is_superuser=True, is_staff=True)
    for modele_admin in admin.site._registry.values():
        assert isinstance(modele_admin, PerimetreAdminMixin), modele_admin
        for inline in modele_admin.get_inline_instances(request):
            assert scoping.perimetre_de(inline.model) is not None, inline.model


def test_un_modele_sans_declaration_est_refuse(db):
    from django.core.exceptions import ImproperlyConfigured

    from guichet.models import Region

    sauvegarde = scoping.PERIMETRES.pop("guichet.region")
    try:
        with pytest.raises(ImproperlyConfigured):
            scoping.lecture(Region.objects.all(), f.UserFactory.build(is_staff=True))
    finally:
        scoping.PERIMETRES["guichet.region"] = sauvegarde


# -- the world: two territories and the four staff roles


@pytest.fixture
def monde(db):
    from tests.rendezvous.factories import ReferentFactory

    na = f.RegionFactory(nouvelle_aquitaine=True)
    mq = f.RegionFactory(martinique=True)
    dep = f.DepartementFactory(code="79", nom="Deux-Sèvres", region=na)
    etranger = f.DepartementFactory(code="972", nom="Martinique", region=mq)
    referent = f.UserFactory(referent=True, departements=[dep], email="referent@ars.fr")
    ReferentFactory(utilisateur=referent, departements=[dep])
    return {
        "dep": dep,
        "etranger": etranger,
        "roles": {
            "national": f.UserFactory(admin_national=True, email="national@ars.fr"),
            "regional": f.UserFactory(agent_ars=True, regions=[na], email="na@ars.fr"),
            "departemental": f.UserFactory(agent_ars=True, departements=[dep], email="79@ars.fr"),
            "referent": referent,
        },
        "superuser": f.UserFactory(superuser=True, email="racine@ars.fr"),
    }


# -- reading the admin's own forms like a browser would


class _Formulaire(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.dedans, self.donnees = form_id, False, {}
        self._select = self._textarea = None
        self._options = []

    def _ajouter(self, nom, valeur):
        if nom and "__prefix__" not in nom:
            self.donnees.setdefault(nom, []).append(valeur)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.dedans = True
        if not self.dedans:
            return
        if tag == "input":
            genre = a.get("type", "text")
            if genre in ("submit", "button", "file", "image", "reset"):
                return
            if genre in ("checkbox", "radio") and "checked" not in a:
                return
            self._ajouter(a.get("name"), a.get("value", "on" if genre == "checkbox" else ""))
        elif tag == "select":
            self._select, self._options = a, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._texte = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._texte += data

    def handle_endtag(self, tag):
        if not self.dedans:
            return
        if tag == "form":
            self.dedans = False
        elif tag == "textarea" and self._textarea is not None:
            self._ajouter(self._textarea, self._texte.lstrip("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            choisis = [v for v, sel in self._options if sel]
            if not choisis and "multiple" not in self._select and self._options:
                choisis = [self._options[0][0]]
            for valeur in choisis:
                self._ajouter(self._select.get("name"), valeur)
            self._select = None


def donnees_du_formulaire(client, url, modele):
    reponse = client.get(url)
    assert reponse.status_code == 200, (url, reponse.status_code)
    lecteur = _Formulaire(f"{modele._meta.model_name}_form")
    lecteur.feed(reponse.content.decode())
    donnees = lecteur.donnees
    donnees["_save"] = ["Enregistrer"]
    inlines = [fs.formset for fs in reponse.context.get("inline_admin_formsets", [])]
    return donnees, reponse.context.get("adminform"), inlines


def _succes(reponse, changelist) -> bool:
    return reponse.status_code == 302 and urlparse(reponse["Location"]).path == changelist


def _champ_texte(adminform, modele):
    """A free text field of the form, to see whether a change went through."""
    from django import forms

    if adminform is None:
        return None
    for nom, champ in adminform.form.fields.items():
        try:
            champ_modele = modele._meta.get_field(nom)
        except Exception:  # noqa: BLE001 - a form-only field
            continue
        if type(champ) is forms.CharField and not champ_modele.unique and not champ_modele.choices:
            return nom
    return None


def _uniques(modele, donnees, suffixe):
    from django.db import models

    for champ in modele._meta.fields:
        if (
            champ.unique
            and not champ.choices
            and champ.name in donnees
            and isinstance(champ, models.CharField)
        ):
            valeur = donnees[champ.name][0]
            if isinstance(champ, models.EmailField):
                donnees[champ.name] = [f"{suffixe}-{valeur}"]
            else:
                donnees[champ.name] = [(valeur + f"-{suffixe}")[: champ.max_length]]


def _sans_inlines(donnees, inlines):
    for formset in inlines:
        prefixe = formset.prefix + "-"
        for cle in [c for c in donnees if c.startswith(prefixe)]:
            del donnees[cle]
        donnees[f"{prefixe}TOTAL_FORMS"] = ["0"]
        donnees[f"{prefixe}INITIAL_FORMS"] = ["0"]
        donnees[f"{prefixe}MIN_NUM_FORMS"] = ["0"]
        donnees[f"{prefixe}MAX_NUM_FORMS"] = ["1000"]


def _empreinte(obj):
    obj = type(obj)._default_manager.filter(pk=obj.pk).first()
    if obj is None:
        return None
    empreinte = model_to_dict(obj)
    return {
        k: sorted(getattr(v, "pk", v) for v in v) if isinstance(v, list) else v
        for k, v in empreinte.items()
    }


# -- the matrix


class Matrice:
    def __init__(self, monde, label, role, client_role, client_racine, cache):
        from django.apps import apps

        self.monde, self.label, self.role = monde, label, role
        self.modele = apps.get_model(label)
        self.admin = admin.site._registry[self.modele]
        self.user = monde["roles"][role]
        self.client, self.racine = client_role, client_racine
        self.perimetre = scoping.perimetre_de(self.modele)
        opts = self.modele._meta
        self.changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        self.verifications = 0
        self.echecs = []
        self.cache = cache

    # expected rights, from the role's permissions and the declaration's kind, never from the
    # code under test
    def permis(self, action):
        opts = self.modele._meta
        return self.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def proprietaire(self):
        return self.role in PROPRIETAIRES.get(self.label, set(ROLES))

    def genre_permet(self, ecrire, national_obj=False):
        genre, national = self.perimetre.genre, self.role == "national"
        if (
            self.perimetre.roles
            and not self.user.groups.filter(name__in=self.perimetre.roles).exists()
        ):
            return False
        if genre == scoping.GENRE_PERSONNEL:
            return False
        if genre == scoping.GENRE_REFERENCE:
            return not ecrire
        if genre == scoping.GENRE_NATIONAL or national_obj:
            return national or not ecrire
        return national or self.proprietaire()

    def attendu(self, action, *, etranger=False, national_obj=False):
        ecrire = action in ("change", "add", "delete")
        if etranger and self.role != "national":
            return False
        if (
            national_obj
            and not self.perimetre.voir_national
            and self.perimetre.genre not in (scoping.GENRE_NATIONAL, scoping.GENRE_REFERENCE)
            and self.role != "national"
        ):
            return False
        if action in ("view",):
            return (self.permis("view") or self.permis("change")) and self.genre_permet(
                False, national_obj
            )
        return self.permis(action) and self.genre_permet(ecrire, national_obj)

    def donnees_racine(self, obj):
        """The superuser's form of ``obj`` (read once per object, shared by the roles)."""
        cle = (self.label, obj.pk)
        if cle not in self.cache:
            self.cache[cle] = donnees_du_formulaire(
                self.racine, self.url("change", obj), self.modele
            )
        donnees, adminform, inlines = self.cache[cle]
        return {k: list(v) for k, v in donnees.items()}, adminform, inlines

    def verifier(self, condition, message):
        self.verifications += 1
        if not condition:
            self.echecs.append(f"{self.label} / {self.role} : {message}")

    def url(self, nom, obj=None):
        opts = self.modele._meta
        args = [obj.pk] if obj is not None else []
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{nom}", args=args)

    # actions
    def lister(self, objets, attendus):
        """One changelist per role: its own objects are listed, the others' never."""
        reponse = self.client.get(self.changelist)
        # The changelist's whole queryset, not its first page: other tests may have loaded
        # the 34,875 real communes.
        candidats = [o.pk for o in objets.values() if o is not None]
        pks = (
            set(
                reponse.context["cl"].queryset.filter(pk__in=candidats).values_list("pk", flat=True)
            )
            if reponse.status_code == 200
            else set()
        )
        for cas, obj in objets.items():
            if obj is not None:
                peut_voir = self.attendu("view", **attendus[cas])
                self.verifier((obj.pk in pks) == peut_voir, f"liste, {cas} : {reponse.status_code}")

    def lire(self, obj, cas, **attendu):
        peut_voir = self.attendu("view", **attendu)
        for action, nom in (("view", "change"), ("history", "history")):
            reponse = self.client.get(self.url(nom, obj))
            self.verifier(
                (reponse.status_code == 200) == peut_voir,
                f"{action}, {cas} : {reponse.status_code}",
            )
        ct = ContentType.objects.get_for_model(self.modele)
        reponse = self.client.get(reverse("admin:view_on_site", args=[ct.pk, obj.pk]))
        if not peut_voir:
            self.verifier(reponse.status_code == 404, f"redirect, {cas} : {reponse.status_code}")
        elif hasattr(obj, "get_absolute_url"):
            self.verifier(reponse.status_code == 302, f"redirect, {cas} : {reponse.status_code}")

    def modifier(self, obj, cas, **attendu):
        if not self.admin.has_change_permission(_requete(self.monde["superuser"]), obj):
            return
        donnees, adminform, _ = self.donnees_racine(obj)
        nom = _champ_texte(adminform, self.modele)
        if nom is None:
            return
        donnees[nom] = [(donnees.get(nom, [""])[0] + f" (modifié, {self.role})")]
        avant = _empreinte(obj)
        reponse = self.client.post(self.url("change", obj), donnees)
        apres = _empreinte(obj)
        doit = self.attendu("change", **attendu)
        self.verifier(
            (apres != avant) == doit and _succes(reponse, self.changelist) == doit,
            f"change, {cas} : attendu={doit}, {reponse.status_code}",
        )

    def ajouter(self, obj, cas, **attendu):
        racine = _requete(self.monde["superuser"])
        if not self.admin.has_add_permission(racine) or not self.admin.has_change_permission(
            racine, obj
        ):
            return
        donnees, _, inlines = self.donnees_racine(obj)
        form = self.admin.get_form(racine, None, change=False)
        if getattr(self.admin, "add_form", None) or any(
            isinstance(c, forms.FileField) and c.required for c in form.base_fields.values()
        ):
            return  # another add form (accounts) or a file to upload: see test_isolation_cas
        _sans_inlines(donnees, inlines)
        doit = self.attendu("add", **attendu)
        nombre = self.modele._default_manager.count()
        supprime = False
        if doit:  # only one's own object: free its unique values for the copy
            try:
                type(obj)._default_manager.filter(pk=obj.pk).delete()
                nombre, supprime = nombre - 1, True
            except ProtectedError:
                pass
        if not supprime:
            _uniques(self.modele, donnees, "copie")
        reponse = self.client.post(self.url("add"), donnees)
        cree = self.modele._default_manager.count() > nombre
        self.verifier(cree == doit, f"add, {cas} : attendu={doit}, {reponse.status_code}")

    def supprimer(self, obj, cas, **attendu):
        doit = self.attendu("delete", **attendu)
        if doit:  # related objects the role may not delete make Django refuse, rightly
            _, _, manquantes, protegees = self.admin.get_deleted_objects([obj], _requete(self.user))
            doit = not manquantes and not protegees
        reponse = self.client.post(
            self.changelist,
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        existe = self.modele._default_manager.filter(pk=obj.pk).exists()
        if not doit:
            self.verifier(existe, f"action delete_selected, {cas} : {reponse.status_code}")
        reponse = self.client.post(self.url("delete", obj), {"post": "yes"})
        existe = self.modele._default_manager.filter(pk=obj.pk).exists()
        if doit and not self.admin.has_delete_permission(_requete(self.monde["superuser"]), obj):
            return
        self.verifier(existe != doit, f"delete, {cas} : attendu={doit}, {reponse.status_code}")

    def autocompleter(self, obj, cas, **attendu):
        sources = [
            (m, champ)
            for m, a in admin.site._registry.items()
            for champ in a.autocomplete_fields
            if m._meta.get_field(champ).related_model is self.modele
        ]
        for source, champ in sources:
            reponse = self.client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": source._meta.app_label,
                    "model_name": source._meta.model_name,
                    "field_name": champ,
                    "term": "",
                },
            )
            if reponse.status_code != 200:
                self.verifier(not self.attendu("view", **attendu) or True, "autocomplete")
                continue
            ids = {r["id"] for r in reponse.json()["results"]}
            present = str(obj.pk) in ids
            if attendu.get("etranger") and self.role != "national":
                self.verifier(not present, f"autocomplete {source._meta.label}.{champ}, {cas}")
            elif self.attendu("view", **attendu) and not reponse.json()["pagination"]["more"]:
                self.verifier(present, f"autocomplete {source._meta.label}.{champ}, {cas}")

    def relations_etrangeres(self, obj):
        """Each FK/M2M of the form and of its inlines pointed at another territory: refused."""
        if self.role == "national" or not self.attendu("change"):
            return
        donnees, adminform, inlines = donnees_du_formulaire(
            self.client, self.url("change", obj), self.modele
        )
        champs = [(nom, self.modele, nom) for nom in adminform.form.fields]
        for formset in inlines:
            if formset.initial_form_count():
                champs += [
                    (f"{formset.prefix}-0-{nom}", formset.model, nom)
                    for nom in formset.forms[0].fields
                ]
        for cle, modele, nom in champs:
            try:
                champ = modele._meta.get_field(nom)
            except Exception:  # noqa: BLE001 - a form-only field
                continue
            cible = champ.related_model
            if cible is None or not (champ.many_to_one or champ.many_to_many or champ.one_to_one):
                continue
            construire = CONSTRUCTEURS.get(cible._meta.label_lower)
            if construire is None or scoping.perimetre_de(cible).genre not in (
                scoping.GENRE_TERRITORIAL,
                scoping.GENRE_COMPTES,
            ):
                continue
            etranger = construire(self.monde["etranger"])
            if etranger is None:
                continue
            essai = {**donnees, cle: [str(etranger.pk)]}
            self.client.post(self.url("change", obj), essai)
            if modele is self.modele:
                objet = self.modele._default_manager.get(pk=obj.pk)
                valeur = getattr(objet, nom)
                valeurs = (
                    {v.pk for v in valeur.all()}
                    if champ.many_to_many
                    else {getattr(valeur, "pk", valeur)}
                )
            else:
                valeurs = set(
                    modele._default_manager.filter(
                        **{formset_fk(modele, self.modele): obj}
                    ).values_list(champ.attname if not champ.many_to_many else nom, flat=True)
                )
            self.verifier(etranger.pk not in valeurs, f"fk {cle} → {cible._meta.label} étranger")


def formset_fk(modele, parent):
    for champ in modele._meta.fields:
        if champ.related_model is parent:
            return champ.name
    raise LookupError(modele)


def _requete(user):
    from django.test import RequestFactory

    requete = RequestFactory().get("/")
    requete.user = user
    return requete


TAILLE = len(MODELES) * len(ROLES) * len(ACTIONS)


@pytest.fixture(autouse=True)
def _hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("label", MODELES)
def test_matrice_isolation(monde, label):
    """One model, the four roles, every action; the failures are listed together."""
    from django.test import Client

    racine = Client()
    racine.force_login(monde["superuser"])
    construire = CONSTRUCTEURS[label]
    territoires = {
        "chez soi": monde["dep"],
        "autre territoire": monde["etranger"],
        "national": None,
    }
    attendus = {
        "chez soi": {},
        "autre territoire": {"etranger": True},
        "national": {"national_obj": True},
    }
    objets = {cas: construire(dep) for cas, dep in territoires.items()}
    matrices, cache = [], {}
    for role in ROLES:
        client = Client()
        client.force_login(monde["roles"][role])
        matrices.append(Matrice(monde, label, role, client, racine, cache))

    def objet(cas):
        obj = objets[cas]
        if obj is None or not type(obj)._default_manager.filter(pk=obj.pk).exists():
            obj = objets[cas] = construire(territoires[cas])
        return obj

    for matrice in matrices:  # reads and changes first, then what destroys
        matrice.lister({cas: objet(cas) for cas in territoires}, attendus)
        for cas in territoires:
            if objet(cas) is not None:
                matrice.lire(objet(cas), cas, **attendus[cas])
                matrice.autocompleter(objet(cas), cas, **attendus[cas])
                matrice.modifier(objet(cas), cas, **attendus[cas])
        if objet("chez soi") is not None:
            matrice.relations_etrangeres(objet("chez soi"))
    for matrice in matrices:
        for cas in territoires:
            if objet(cas) is not None:
                matrice.supprimer(objet(cas), cas, **attendus[cas])
            if objet(cas) is not None:
                matrice.ajouter(objet(cas), cas, **attendus[cas])
    echecs = [e for m in matrices for e in m.echecs]
    assert not echecs, "\n".join(echecs)
    assert sum(m.verifications for m in matrices) > 0


# -- lookups by e-mail: an e-mail typed on an accompaniment reaches only the viewer's territory


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_les_rendez_vous_d_un_accompagnement_restent_dans_le_perimetre(monde, role):
    """The meetings shown on an accompaniment are those the role reads anywhere else."""
    from django.test import Client

    from rendezvous.models import RendezVous
    from tests.espace.factories import AccompagnementFactory
    from tests.rendezvous.factories import MotifFactory

    user = monde["superuser"] if role == "superuser" else monde["roles"][role]
    courriel = "meme.personne@exemple.fr"
    accompagnement = AccompagnementFactory(
        courriel=courriel.upper(), commune_cible=f.CommuneFactory(departement=monde["dep"])
    )
    rdvs = {}
    for jours, (cas, dep) in enumerate(
        (("chez soi", monde["dep"]), ("autre territoire", monde["etranger"]))
    ):
        rdv = CONSTRUCTEURS["rendezvous.rendezvous"](dep)
        rdv.courriel, rdv.motif = courriel, MotifFactory(nom=f"Motif {cas}", slug=cas[:5])
        rdv.debut += datetime.timedelta(days=jours)
        rdv.fin += datetime.timedelta(days=jours)
        rdv.fin_bloquee += datetime.timedelta(days=jours)
        rdv.save()
        rdvs[cas] = rdv
    lisibles = set(scoping.lecture(RendezVous.objects.all(), user))
    assert (rdvs["autre territoire"] in lisibles) == (role == "superuser")
    assert set(accompagnement.rendezvous(user)) == lisibles & set(rdvs.values())

    client = Client()
    client.force_login(user)
    page = client.get(accompagnement.get_absolute_url()).content.decode()
    for cas, rdv in rdvs.items():
        assert (f"Motif {cas}" in page) == (rdv in lisibles), cas
