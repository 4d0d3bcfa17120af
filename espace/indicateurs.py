"""The dashboard's figures for a territory and a year, computed in the database.

Definitions (shown on the page):
- questions received in the year; answered = received in the year and answered since;
  answer time = first answer minus reception, median over the answered ones;
- meetings of the year (by date, cancelled ones excluded), honoured, missed;
- professionals accompanied = first contact in the year ("N accompagnés"), of whom installed
  and still with a project today ("M installés, K en projet"); installations dated in the year,
  median time from first contact to installation; currently accompanied = first contact or
  project in progress today;
- simulations run and aid pages viewed: the anonymous daily counters.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone

from espace.models import Accompagnement, CompteurJournalier, Question
from guichet import scoping
from guichet.models import Region
from guichet.vocabulaire import Profession


class Mediane(Aggregate):
    function = None
    name = "Mediane"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _duree(fin, debut):
    return ExpressionWrapper(F(fin) - F(debut), output_field=DurationField())


@dataclass
class Perimetre:
    """What a dashboard covers: the whole of a user's scope, a region or a département."""

    cle: str
    libelle: str
    region: object = None
    departement: object = None

    def filtrer(self, qs, user):
        """The rows of ``qs`` in the user's scope (the model's declaration) and in this one."""
        qs = scoping.dans_le_perimetre(qs, user)
        declaration = scoping.perimetre_de(qs.model)
        region_path, departement_path = declaration.region, declaration.departement
        if self.departement is not None:
            return qs.filter(**{departement_path: self.departement})
        if self.region is not None:
            return qs.filter(
                Q(**{region_path: self.region}) | Q(**{f"{departement_path}__region": self.region})
            )
        return qs


def perimetres_possibles(user) -> list[Perimetre]:
    """The scopes a user may choose: all of theirs, each region, each département of it.

    A region is offered only to whom covers all of it (national staff, the region's agents):
    a département agent's figures never appear under the region's name.
    """
    national = scoping.est_national(user)
    choix = [Perimetre("tout", "National" if national else "Tout mon périmètre")]
    regions = list((Region.objects.all() if national else user.regions.all()).order_by("nom"))
    departements = list(
        scoping.departements_du_perimetre(user).select_related("region").order_by("code")
    )
    choix += [Perimetre(f"region-{r.pk}", r.nom, region=r) for r in regions]
    choix += [Perimetre(f"departement-{d.pk}", str(d), departement=d) for d in departements]
    return choix


@dataclass
class Annee:
    annee: int
    questions_recues: int = 0
    questions_repondues: int = 0
    delai_median: datetime.timedelta | None = None
    questions_par_mois: dict[int, int] = field(default_factory=dict)
    rendezvous: int = 0
    rendezvous_honores: int = 0
    rendezvous_absents: int = 0
    accompagnes: int = 0
    dont_installes: int = 0
    dont_en_projet: int = 0
    installations: int = 0
    jours_median_installation: float | None = None
    simulations: int = 0
    aides_vues: int = 0
    par_profession: list[tuple[str, int, int]] = field(default_factory=list)
    par_territoire: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def delai_median_heures(self) -> float | None:
        if self.delai_median is None:
            return None
        return round(self.delai_median.total_seconds() / 3600, 1)


def _questions(annee: Annee, questions) -> None:
    recues = questions.filter(recue_le__year=annee.annee)
    resultat = recues.aggregate(
        recues=Count("pk"),
        repondues=Count("pk", filter=Q(premiere_reponse_le__isnull=False)),
        mediane=Mediane(_duree("premiere_reponse_le", "recue_le"), output_field=DurationField()),
    )
    annee.questions_recues = resultat["recues"]
    annee.questions_repondues = resultat["repondues"]
    annee.delai_median = resultat["mediane"]
    # order_by(): the model's default ordering would split the GROUP BY per row.
    mois = (
        recues.order_by()
        .annotate(mois=ExtractMonth("recue_le"))
        .values("mois")
        .annotate(n=Count("pk"))
    )
    annee.questions_par_mois = {m: 0 for m in range(1, 13)} | {
        ligne["mois"]: ligne["n"] for ligne in mois
    }


def _rendezvous(annee: Annee, rendezvous) -> None:
    resultat = rendezvous.filter(debut__year=annee.annee).aggregate(
        total=Count("pk", filter=~Q(statut__in=["annule-usager", "annule-referent"])),
        honores=Count("pk", filter=Q(statut="honore")),
        absents=Count("pk", filter=Q(statut="absent")),
    )
    annee.rendezvous = resultat["total"]
    annee.rendezvous_honores = resultat["honores"]
    annee.rendezvous_absents = resultat["absents"]


def _accompagnements(annee: Annee, accompagnements) -> None:
    E = Accompagnement.Etape
    cohorte = accompagnements.filter(premier_contact_le__year=annee.annee)
    resultat = cohorte.aggregate(
        total=Count("pk"),
        installes=Count("pk", filter=Q(etape=E.INSTALLE) | Q(installe_le__isnull=False)),
        projet=Count("pk", filter=Q(etape__in=[E.PREMIER_CONTACT, E.PROJET])),
    )
    annee.accompagnes = resultat["total"]
    annee.dont_installes = resultat["installes"]
    annee.dont_en_projet = resultat["projet"]
    installes = accompagnements.filter(installe_le__year=annee.annee).aggregate(
        n=Count("pk"),
        mediane=Mediane(_duree("installe_le", "premier_contact_le"), output_field=DurationField()),
    )
    annee.installations = installes["n"]
    if installes["mediane"] is not None:
        annee.jours_median_installation = round(installes["mediane"].total_seconds() / 86400, 1)
    installe = Count("pk", filter=Q(installe_le__isnull=False))
    libelles = dict(Profession.choices)
    annee.par_profession = [
        (libelles.get(ligne["profession"], ligne["profession"]), ligne["n"], ligne["i"])
        for ligne in cohorte.values("profession")
        .annotate(n=Count("pk"), i=installe)
        .order_by("-n", "profession")
    ]
    annee.par_territoire = [
        (f"{ligne['departement__nom']} ({ligne['departement']})", ligne["n"], ligne["i"])
        for ligne in cohorte.values("departement", "departement__nom")
        .annotate(n=Count("pk"), i=installe)
        .order_by("departement")
    ]


def _compteurs(annee: Annee, compteurs) -> None:
    resultat = compteurs.filter(jour__year=annee.annee).aggregate(
        simulations=Sum("nombre", filter=Q(indicateur=CompteurJournalier.Indicateur.SIMULATION)),
        vues=Sum("nombre", filter=Q(indicateur=CompteurJournalier.Indicateur.AIDE_VUE)),
    )
    annee.simulations = resultat["simulations"] or 0
    annee.aides_vues = resultat["vues"] or 0


def calculer(user, perimetre: Perimetre, annee: int) -> Annee:
    """Every figure of one year for the perimeter, within the user's scope."""
    from rendezvous.models import Lieu, RendezVous

    resultat = Annee(annee)
    _questions(resultat, perimetre.filtrer(Question.objects.all(), user))
    # Counted where the meetings take place (anonymous figures, by the places' scope).
    lieux = perimetre.filtrer(Lieu.objects.all(), user)
    _rendezvous(resultat, RendezVous.objects.filter(lieu__in=lieux))
    _accompagnements(resultat, perimetre.filtrer(Accompagnement.objects.all(), user))
    _compteurs(resultat, perimetre.filtrer(CompteurJournalier.objects.all(), user))
    return resultat


def en_cours(user, perimetre: Perimetre) -> int:
    return perimetre.filtrer(Accompagnement.objects.en_cours(), user).count()


def aides_a_reverifier(user, perimetre: Perimetre, jour: datetime.date | None = None):
    """Published aids of the territory checked more than a year ago (national ones nationally)."""
    from aides.models import Aide

    jour = jour or timezone.localdate()
    aides = Aide.objects.publiees().filter(verifie_le__lt=jour - datetime.timedelta(days=365))
    if perimetre.departement is not None:
        d = perimetre.departement
        q = Q(departements=d) | Q(regions=d.region_id) | Q(communes__departement=d)
    elif perimetre.region is not None:
        r = perimetre.region
        q = Q(regions=r) | Q(departements__region=r) | Q(communes__departement__region=r)
    elif scoping.est_national(user):
        q = Q()
    else:
        regions = scoping.regions_du_perimetre(user)
        departements = scoping.departements_du_perimetre(user)
        q = Q(regions__in=regions) | Q(departements__in=departements)
    return aides.filter(q).distinct().order_by("verifie_le")


def contenus_a_relire(user, perimetre: Perimetre, jour: datetime.date | None = None) -> list:
    """Parcours, documents and pages whose review date has come, within the territory."""
    from guichet.models import PageEditoriale
    from installation.models import Document, Parcours

    contenus = []
    for modele in (Parcours, Document):
        qs = modele.objects.a_revoir(jour).select_related("region", "departement")
        if perimetre.departement is None and perimetre.region is None:
            qs = scoping.dans_le_perimetre(qs, user)
        else:
            qs = perimetre.filtrer(qs, user)
        contenus += list(qs.order_by("revoir_le")[:20])
    if scoping.est_national(user) and perimetre.cle == "tout":
        contenus += list(PageEditoriale.objects.a_revoir(jour).order_by("revoir_le"))
    return [
        {
            "titre": str(c),
            "type": c._meta.verbose_name,
            "revoir_le": c.revoir_le,
            "url": reverse(f"admin:{c._meta.app_label}_{c._meta.model_name}_change", args=[c.pk]),
        }
        for c in sorted(contenus, key=lambda c: c.revoir_le)
    ]
