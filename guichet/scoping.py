"""Territorial scope of staff users, shared by the admin and every staff view.

A staff user is national (``perimetre_national`` or superuser) or limited to regions and/or
départements. An object belongs to a territory through a lookup path to a region and/or to a
département; an object with neither is national and only national staff may change it.
"""

from django.db.models import Q, QuerySet


def est_national(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.perimetre_national))


def perimetre_q(
    user, *, region_path: str | None, departement_path: str | None, commune_path: str | None = None
) -> Q:
    """A Q selecting the objects inside the user's scope (never the national ones)."""
    region_ids = list(user.regions.values_list("pk", flat=True))
    departement_ids = list(user.departements.values_list("pk", flat=True))
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


def filtrer_perimetre(
    qs: QuerySet,
    user,
    *,
    region_path: str | None = "region",
    departement_path: str | None = "departement",
    commune_path: str | None = None,
    avec_national: bool = False,
) -> QuerySet:
    """Restrict ``qs`` to the user's scope; ``avec_national`` also keeps national objects."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return qs.none()
    if est_national(user):
        return qs
    chemins = {
        "region_path": region_path,
        "departement_path": departement_path,
        "commune_path": commune_path,
    }
    q = perimetre_q(user, **chemins)
    if avec_national:
        q |= national_q(**chemins)
    return qs.filter(q).distinct()


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
