"""Territorial scope of staff users, shared by the admin and every staff view.

A staff user is national (``perimetre_national`` or superuser) or limited to regions and/or
départements. An object belongs to a territory through a lookup path to a region and/or to a
département; an object with neither is national and only national staff may change it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Q, QuerySet


def est_national(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.perimetre_national))


def perimetre_q(
    user, *, region_path: str | None, departement_path: str | None, commune_path: str | None = None
) -> Q:
    """A Q selecting the objects inside the user's scope (never the national ones)."""
    region_ids, departement_ids = _territoires_du_compte(user)
    q = Q(pk__in=[])
    if region_path:
        q |= Q(**{f"{region_path}__in": region_ids})
    if departement_path:
        q |= Q(**{f"{departement_path}__in": departement_ids})
        if departement_path != "pk":  # a Departement itself: its region is region_path
            q |= Q(**{f"{departement_path}__region__in": region_ids})
    if commune_path:
        q |= Q(**{f"{commune_path}__departement__in": departement_ids})
        q |= Q(**{f"{commune_path}__departement__region__in": region_ids})
    return q


def _territoires_du_compte(user) -> tuple[list, list]:
    """The user's own regions and départements, read once per user object (one request)."""
    if not hasattr(user, "_territoires_du_compte"):
        user._territoires_du_compte = (
            list(user.regions.values_list("pk", flat=True)),
            list(user.departements.values_list("pk", flat=True)),
        )
    return user._territoires_du_compte


def national_q(
    *, region_path: str | None, departement_path: str | None, commune_path: str | None = None
) -> Q:
    q = Q()
    if commune_path:
        q &= Q(**{f"{commune_path}__isnull": True})
    if region_path:
        q &= Q(**{f"{region_path}__isnull": True})
    if departement_path:
        q &= Q(**{f"{departement_path}__isnull": True})
    return q


def regions_du_perimetre(user):
    from guichet.models import Region

    if est_national(user):
        return Region.objects.all()
    return Region.objects.filter(
        Q(pk__in=user.regions.values("pk")) | Q(departements__in=user.departements.values("pk"))
    ).distinct()


def departements_du_perimetre(user):
    from guichet.models import Departement

    if est_national(user):
        return Departement.objects.all()
    return Departement.objects.filter(
        Q(pk__in=user.departements.values("pk")) | Q(region__in=user.regions.values("pk"))
    )


# -- scope declarations: one per model, read by the admin mixin, staff views and the tests ----

GENRE_TERRITORIAL = "territorial"  # belongs to regions/départements/communes (or is national)
GENRE_NATIONAL = "national"  # one national object: national staff write, every staff reads
GENRE_REFERENCE = "reference"  # technical or imported bookkeeping: staff read, nobody edits
GENRE_PERSONNEL = "personnel"  # personal data of the public: superusers only
GENRE_COMPTES = "comptes"  # user accounts: see lecture_comptes / ecriture_comptes


@dataclass(frozen=True)
class Perimetre:
    """How the objects of one model belong to territories (see ``declarer``).

    ``region``/``departement``/``commune`` are lookup paths from the model to a Region, a
    Departement, a Commune. A path whose first step is a territory field (``region``,
    ``departements``, ``commune__departement``) is the object's own territory and is checked on
    every write; a path through another scoped model (``referent__departements``) follows that
    parent, whose choice is itself restricted. ``voir_national``: regional staff also read the
    national objects (never change them). ``national_si``: a predicate on the object saying it
    is national despite its territories (an aid whose ``portee`` is national).
    ``proprietaire``: path to a user who always reaches the object (a referent's meetings).
    ``roles``: when set, only these groups (and superusers) reach the model at all.
    ``reserve_national``: only national staff read it (the audit trail).
    """

    genre: str = GENRE_TERRITORIAL
    region: str | None = None
    departement: str | None = None
    commune: str | None = None
    voir_national: bool = False
    national_si: Callable[[Any], bool] | None = None
    proprietaire: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    reserve_national: bool = False

    @property
    def chemins(self) -> dict:
        return {
            "region_path": self.region,
            "departement_path": self.departement,
            "commune_path": self.commune,
        }


def territorial(
    region: str | None = "region",
    departement: str | None = "departement",
    commune: str | None = None,
    **options,
) -> Perimetre:
    return Perimetre(GENRE_TERRITORIAL, region, departement, commune, **options)


def national(*, reserve_national: bool = False) -> Perimetre:
    return Perimetre(GENRE_NATIONAL, reserve_national=reserve_national)


def reference() -> Perimetre:
    return Perimetre(GENRE_REFERENCE)


def personnel() -> Perimetre:
    return Perimetre(GENRE_PERSONNEL)


def comptes() -> Perimetre:
    return Perimetre(GENRE_COMPTES, region="regions", departement="departements")


PERIMETRES: dict[str, Perimetre] = {}


def declarer(modele: str, perimetre: Perimetre) -> None:
    """Declare the scope of ``"app_label.Model"`` (each app does it in its ``perimetres.py``)."""
    PERIMETRES[modele.lower()] = perimetre


def perimetre_de(model) -> Perimetre | None:
    return PERIMETRES.get(model._meta.label_lower)


def _exiger(model) -> Perimetre:
    perimetre = perimetre_de(model)
    if perimetre is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} n'a pas de périmètre : déclarez-le dans "
            f"{model._meta.app_label}/perimetres.py (scoping.declarer)."
        )
    return perimetre


def _est_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def _a_le_role(user, perimetre: Perimetre) -> bool:
    if perimetre.reserve_national and not est_national(user):
        return False
    if not perimetre.roles or user.is_superuser:
        return True
    if not hasattr(user, "_groupes_du_compte"):
        user._groupes_du_compte = set(user.groups.values_list("name", flat=True))
    return bool(user._groupes_du_compte & perimetre.roles)


def lecture(qs: QuerySet, user) -> QuerySet:
    """The objects of ``qs`` a staff user may see (admin lists, choices, autocompletes)."""
    perimetre = _exiger(qs.model)
    if not _est_staff(user) or not _a_le_role(user, perimetre):
        return qs.none()
    if perimetre.genre == GENRE_PERSONNEL:
        return qs if user.is_superuser else qs.none()
    if perimetre.genre in (GENRE_NATIONAL, GENRE_REFERENCE) or est_national(user):
        return qs
    if perimetre.genre == GENRE_COMPTES:
        return qs.filter(pk__in=_comptes_visibles(user))
    return _territoire_du_compte(qs, user, perimetre, avec_national=perimetre.voir_national)


def dans_le_perimetre(qs: QuerySet, user, *, avec_national: bool = False) -> QuerySet:
    """The objects of ``qs`` in a staff user's own territories, by the model's declaration.

    What the staff space lists and counts: like ``lecture``, but national objects only with
    ``avec_national`` (a regional dashboard does not count the national rows it may read).
    """
    perimetre = _exiger(qs.model)
    if perimetre.genre != GENRE_TERRITORIAL or est_national(user):
        return lecture(qs, user)
    if not _est_staff(user) or not _a_le_role(user, perimetre):
        return qs.none()
    return _territoire_du_compte(qs, user, perimetre, avec_national=avec_national)


def _territoire_du_compte(qs: QuerySet, user, perimetre: Perimetre, *, avec_national: bool):
    q = perimetre_q(user, **perimetre.chemins)
    if avec_national:
        q |= national_q(**perimetre.chemins)
    if perimetre.proprietaire:
        q |= Q(**{perimetre.proprietaire: user})
    return qs.filter(pk__in=qs.model._default_manager.filter(q).values("pk"))


def couvre(user, obj) -> bool:
    """Whether ``obj`` (saved or not) lies in a staff user's territory, by its declaration.

    The check of the admin's writes (``ecriture_autorisee``), e.g. before a question is given
    to an agent: the agent must be able to work on it.
    """
    perimetre = _exiger(type(obj))
    if not _est_staff(user) or not _a_le_role(user, perimetre):
        return False
    return ecriture_autorisee(user, obj, {})


def ecriture(qs: QuerySet, user) -> QuerySet:
    """The objects of ``qs`` a staff user may change or delete (never national ones)."""
    perimetre = _exiger(qs.model)
    if not _est_staff(user) or not _a_le_role(user, perimetre):
        return qs.none()
    if perimetre.genre == GENRE_PERSONNEL:
        return qs if user.is_superuser else qs.none()
    if perimetre.genre == GENRE_REFERENCE:
        return qs if user.is_superuser else qs.none()
    if perimetre.genre == GENRE_COMPTES:
        return qs.filter(pk__in=_comptes_modifiables(user))
    if est_national(user):
        return qs
    if perimetre.genre == GENRE_NATIONAL:
        return qs.none()
    q = perimetre_q(user, **perimetre.chemins)
    if perimetre.proprietaire:
        q |= Q(**{perimetre.proprietaire: user})
    qs = qs.filter(pk__in=qs.model._default_manager.filter(q).values("pk"))
    if perimetre.national_si is not None:
        nationaux = [o.pk for o in qs if perimetre.national_si(o)]
        qs = qs.exclude(pk__in=nationaux)
    return qs


def peut_lire(model, user) -> bool:
    """Whether the user may open the model's list at all (personal data: superusers only)."""
    perimetre = _exiger(model)
    if not _est_staff(user) or not _a_le_role(user, perimetre):
        return False
    return perimetre.genre != GENRE_PERSONNEL or user.is_superuser


def peut_creer(model, user) -> bool:
    """Whether the user's scope allows creating objects of ``model`` at all."""
    perimetre = _exiger(model)
    if not _est_staff(user) or not _a_le_role(user, perimetre):
        return False
    if perimetre.genre == GENRE_PERSONNEL:
        return user.is_superuser
    if perimetre.genre == GENRE_REFERENCE:
        return user.is_superuser
    if perimetre.genre == GENRE_NATIONAL:
        return est_national(user)
    return True


def contient(qs_fonction, obj, user) -> bool:
    model = type(obj)
    return qs_fonction(model._default_manager.filter(pk=obj.pk), user).exists()


# -- accounts: a regional agent manages the staff of their perimeter, nobody else -------------


def _comptes_visibles(user) -> QuerySet:
    from guichet.models import User

    q = Q(pk=user.pk) | perimetre_q(user, region_path="regions", departement_path="departements")
    return User.objects.filter(q, is_staff=True).values("pk")


def _comptes_modifiables(user) -> QuerySet:
    """Accounts lying wholly inside the user's perimeter: no other territory, not national."""
    from guichet.models import Departement, Region, User

    if est_national(user):
        qs = User.objects.all()
        return (qs if user.is_superuser else qs.exclude(is_superuser=True)).values("pk")
    regions_hors = Region.objects.exclude(pk__in=user.regions.values("pk"))
    departements_hors = Departement.objects.exclude(pk__in=departements_du_perimetre(user))
    return (
        User.objects.filter(pk__in=_comptes_visibles(user))
        .exclude(is_superuser=True)
        .exclude(perimetre_national=True)
        .exclude(regions__in=regions_hors)
        .exclude(departements__in=departements_hors)
        .values("pk")
    )


def permissions_accordables(user) -> set[str]:
    """Permissions a user may hand out: their own, never more ("app_label.codename")."""
    from django.contrib.auth.models import Permission

    if user.is_superuser:
        return {
            f"{a}.{c}"
            for a, c in Permission.objects.values_list("content_type__app_label", "codename")
        }
    return set(user.get_all_permissions())


def groupes_accordables(user) -> QuerySet:
    from django.contrib.auth.models import Group

    accordables = permissions_accordables(user)
    refuses = [
        g.pk
        for g in Group.objects.prefetch_related("permissions__content_type")
        if not {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()}
        <= accordables
    ]
    return Group.objects.exclude(pk__in=refuses)


# -- writes: the object as it will be saved must lie inside the user's perimeter ----------------

TERRITOIRES = {"guichet.region", "guichet.departement", "guichet.commune"}


def _chemins_propres(model, perimetre: Perimetre) -> list[tuple[str, str]]:
    """(kind, path) of the object's own territory fields (first step is a territory)."""
    propres = []
    for genre, chemin in (
        ("region", perimetre.region),
        ("departement", perimetre.departement),
        ("commune", perimetre.commune),
    ):
        if not chemin or chemin == "pk":
            continue
        premier = chemin.split("__")[0]
        try:
            champ = model._meta.get_field(premier)
        except FieldDoesNotExist:
            continue
        cible = champ.related_model
        if cible is None or cible._meta.label_lower not in TERRITOIRES:
            continue
        if (
            genre == "region"
            and perimetre.departement
            and chemin.startswith(perimetre.departement.split("__")[0] + "__")
        ):
            continue  # the region of the département: the département check covers it
        propres.append((genre, chemin))
    return propres


def _valeurs(instance, cleaned: dict, chemin: str) -> set:
    premier, _, reste = chemin.partition("__")
    champ = type(instance)._meta.get_field(premier)
    if champ.many_to_many:
        valeur = cleaned.get(premier) if premier in cleaned else None
        if valeur is None:
            valeur = getattr(instance, premier).all() if instance.pk else []
        pks = {getattr(v, "pk", v) for v in valeur}
    else:
        pk = getattr(instance, champ.attname)
        pks = {pk} if pk is not None else set()
    if not reste or not pks:
        return pks
    cible = champ.related_model
    return set(
        cible._default_manager.filter(pk__in=pks)
        .exclude(**{f"{reste}__isnull": True})
        .values_list(reste, flat=True)
    )


def ecriture_autorisee(user, instance, cleaned: dict, *, conserves: dict | None = None) -> bool:
    """Whether saving ``instance`` (final values, after the model's ``clean()``) is allowed.

    ``cleaned`` holds the many-to-many values of the form; ``conserves`` the values kept although
    the editor cannot see them (another region of a shared object), left out of the check.
    """
    perimetre = _exiger(type(instance))
    if est_national(user):
        return True
    if perimetre.genre != GENRE_TERRITORIAL:
        return perimetre.genre == GENRE_COMPTES and _compte_autorise(user, instance, cleaned)
    propres = _chemins_propres(type(instance), perimetre)
    if not propres:
        return True  # territory of a parent, whose choice is restricted on the form
    if perimetre.national_si is not None and perimetre.national_si(instance):
        return False
    conserves = conserves or {}
    regions, departements, communes = set(), set(), set()
    cibles = {"region": regions, "departement": departements, "commune": communes}
    for genre, chemin in propres:
        valeurs = _valeurs(instance, cleaned, chemin)
        valeurs -= set(conserves.get(chemin.split("__")[0], ()))
        cibles[genre].update(valeurs)
    return _dans_le_perimetre(user, regions, departements, communes)


def _dans_le_perimetre(user, regions, departements, communes) -> bool:
    from guichet.models import Commune

    if not (regions or departements or communes):
        return False  # national: national staff only
    departements = departements | set(
        Commune.objects.filter(pk__in=communes).values_list("departement_id", flat=True)
    )
    regions_gerees = set(user.regions.values_list("pk", flat=True))
    departements_geres = set(departements_du_perimetre(user).values_list("pk", flat=True))
    return regions <= regions_gerees and departements <= departements_geres


def _compte_autorise(user, compte, cleaned) -> bool:
    if compte.is_superuser or compte.perimetre_national:
        return False
    regions = {getattr(r, "pk", r) for r in cleaned.get("regions") or []}
    departements = {getattr(d, "pk", d) for d in cleaned.get("departements") or []}
    if compte.pk and "regions" not in cleaned:
        regions = set(compte.regions.values_list("pk", flat=True))
    if compte.pk and "departements" not in cleaned:
        departements = set(compte.departements.values_list("pk", flat=True))
    groupes = cleaned.get("groups")
    if groupes is not None and not set(g.pk for g in groupes) <= set(
        groupes_accordables(user).values_list("pk", flat=True)
    ):
        return False
    return _dans_le_perimetre(user, regions, departements, set())


def peut_modifier(model, user) -> bool:
    """Whether the user may change some object of ``model`` (the admin's "change" link)."""
    perimetre = _exiger(model)
    if not _est_staff(user) or not _a_le_role(user, perimetre):
        return False
    if perimetre.genre == GENRE_PERSONNEL:
        return user.is_superuser
    if perimetre.genre == GENRE_REFERENCE:
        return user.is_superuser
    return perimetre.genre != GENRE_NATIONAL or est_national(user)


def permissions_accordables_qs(user) -> QuerySet:
    from django.contrib.auth.models import Permission

    if user.is_superuser:
        return Permission.objects.all()
    accordables = permissions_accordables(user)
    pks = [
        pk
        for pk, app, code in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app}.{code}" in accordables
    ]
    return Permission.objects.filter(pk__in=pks)
