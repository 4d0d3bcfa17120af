"""The opportunities' figures for the staff, per scope, a year against the one before.

Definitions (shown on the page): published = first published in the year; filled = marked
filled in the year; days to fill = from publication to "pourvue", median over the posts filled
in the year. Counted in the database (one query per table, whatever the number of posts).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, FloatField, Q
from django.utils import timezone

from guichet import scoping
from guichet.vocabulaire import Profession
from opportunites.models import Opportunite, Statut


class Mediane(Aggregate):
    function = None
    name = "Mediane"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Chiffres:
    annee: int
    publiees: int
    pourvues: int
    jours_median: float | None

    @property
    def phrase(self) -> str:
        """The seeds' way of telling it: "241 contrats signés, déjà 19 installations"."""
        s = "s" if self.publiees > 1 else ""
        texte = f"En {self.annee}, {self.publiees} annonce{s} publiée{s}"
        if self.pourvues:
            p = "s" if self.pourvues > 1 else ""
            texte += f", déjà {self.pourvues} pourvue{p}"
            if self.jours_median is not None:
                texte += f" en {round(self.jours_median)} jours (médiane)"
        return texte + "."


def du_perimetre(user, departement=None):
    qs = scoping.lecture(Opportunite.objects.all(), user)
    return qs.filter(commune__departement=departement) if departement is not None else qs


def _bornes(annee: int):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(annee, 1, 1, tzinfo=tz),
        datetime.datetime(annee + 1, 1, 1, tzinfo=tz),
    )


def _conditions(annee: int) -> tuple[Q, Q]:
    debut, fin = _bornes(annee)
    publiee = Q(publiee_le__gte=debut, publiee_le__lt=fin)
    pourvue = Q(statut=Statut.POURVUE, close_le__gte=debut, close_le__lt=fin)
    return publiee, pourvue


def chiffres(qs, annee: int) -> Chiffres:
    publiee, pourvue = _conditions(annee)
    duree = ExpressionWrapper(F("close_le") - F("publiee_le"), output_field=DurationField())
    resultat = qs.aggregate(
        publiees=Count("pk", filter=publiee),
        pourvues=Count("pk", filter=pourvue),
        duree=Mediane(duree, filter=pourvue, output_field=DurationField()),
    )
    duree = resultat["duree"]
    return Chiffres(
        annee,
        resultat["publiees"],
        resultat["pourvues"],
        duree.total_seconds() / 86400 if duree is not None else None,
    )


def par_profession(qs, annee: int) -> list[tuple[str, int, int]]:
    """(profession, published, filled) for the professions with at least one post."""
    publiee, pourvue = _conditions(annee)
    comptes = {}
    for p in Profession:
        a_la_profession = Q(professions__contains=[p.value])
        comptes[f"{p.value}|p"] = Count("pk", filter=publiee & a_la_profession)
        comptes[f"{p.value}|f"] = Count("pk", filter=pourvue & a_la_profession)
    resultat = qs.aggregate(**comptes)
    lignes = [(p.label, resultat[f"{p.value}|p"], resultat[f"{p.value}|f"]) for p in Profession]
    return [ligne for ligne in lignes if ligne[1] or ligne[2]]


def par_territoire(qs, annee: int) -> list[tuple[str, int, int]]:
    """(département, published, filled), in the order of the départements' codes."""
    publiee, pourvue = _conditions(annee)
    lignes = (
        qs.values("commune__departement__code", "commune__departement__nom")
        .annotate(publiees=Count("pk", filter=publiee), pourvues=Count("pk", filter=pourvue))
        .filter(Q(publiees__gt=0) | Q(pourvues__gt=0))
        .order_by("commune__departement__code")
    )
    return [
        (
            f"{d['commune__departement__nom']} ({d['commune__departement__code']})",
            d["publiees"],
            d["pourvues"],
        )
        for d in lignes
    ]
