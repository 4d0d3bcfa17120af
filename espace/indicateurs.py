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
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from aides.models import Aide
from espace.models import Accompagnement, CompteurJournalier, Question
from guichet import scoping
from guichet.cache import garde
from guichet.models import Departement, PageEditoriale, Region
from guichet.versions import AGENDA, AIDES, ESPACE, INSTALLATION, PAGES
from guichet.vocabulaire import Profession
from installation.models import Document, Parcours
from rendezvous.models import Lieu, RendezVous


class MedianeSecondes(Aggregate):
    """The median of a duration, in seconds (a float: it travels as JSON)."""

    function = None
    name = "MedianeSecondes"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
    output_field = FloatField()


def _duree(fin, debut):
    return ExpressionWrapper(F(fin) - F(debut), output_field=DurationField())


@dataclass(frozen=True)
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


def _choix(libelle: str, regions, departements) -> list[Perimetre]:
    choix = [Perimetre("tout", libelle)]
    choix += [Perimetre(f"region-{r.pk}", r.nom, region=r) for r in regions.order_by("nom")]
    choix += [
        Perimetre(f"departement-{d.pk}", str(d), departement=d)
        for d in departements.select_related("region").order_by("code")
    ]
    return choix


@garde("options", PAGES)
def _perimetres_nationaux() -> tuple[Perimetre, ...]:
    """Every region and département: the same for all national staff, kept under the
    territories' version (read on each dashboard display)."""
    return tuple(_choix("National", Region.objects.all(), Departement.objects.all()))


def perimetres_possibles(user) -> list[Perimetre]:
    """The scopes a user may choose: all of theirs, each region, each département of it.

    A region is offered only to whom covers all of it (national staff, the region's agents):
    a département agent's figures never appear under the region's name.
    """
    if scoping.est_national(user):
        return list(_perimetres_nationaux())
    departements = scoping.departements_du_perimetre(user)
    return _choix("Tout mon périmètre", user.regions.all(), departements)


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


def en_une_requete(requetes: dict) -> dict[str, list[dict]]:
    """Run several ``values()`` querysets in one round trip to the database: each one becomes
    a JSON array of its rows (dates and numbers come back as JSON: strings and numbers)."""
    morceaux, parametres, vides = [], [], set()
    for nom, qs in requetes.items():
        try:
            sql, params = qs.query.sql_with_params()
        except EmptyResultSet:  # e.g. .none(): nothing to ask
            vides.add(nom)
            continue
        morceaux.append(f"(SELECT coalesce(json_agg(t), '[]'::json) FROM ({sql}) t)")
        parametres.extend(params)
    valeurs = iter(())
    if morceaux:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(morceaux), parametres)
            valeurs = iter(cursor.fetchone())
    resultat = {}
    for nom in requetes:
        valeur = [] if nom in vides else next(valeurs)
        resultat[nom] = json.loads(valeur) if isinstance(valeur, str) else valeur
    return resultat


def _annees(champ: str, annees) -> Q:
    q = Q()
    for annee in annees:
        q |= Q(**{f"{champ}__year": annee})
    return q


def _par_an(qs, champ: str, annees):
    """Rows of ``annees`` grouped by the year of ``champ`` (key ``an``)."""
    return qs.filter(_annees(champ, annees)).order_by().annotate(an=ExtractYear(champ)).values("an")


def _un_total(qs):
    """One row of aggregates over the whole queryset (no GROUP BY)."""
    return qs.order_by().annotate(un=Value(1)).values("un")


def _requetes_annees(user, perimetre: Perimetre, annees) -> dict:
    """One query per group of figures, every year at once."""
    E = Accompagnement.Etape
    questions = perimetre.filtrer(Question.objects.all(), user)
    # Counted where the meetings take place (anonymous figures, by the places' scope).
    rendezvous = RendezVous.objects.filter(lieu__in=perimetre.filtrer(Lieu.objects.all(), user))
    accompagnements = perimetre.filtrer(Accompagnement.objects.all(), user)
    compteurs = perimetre.filtrer(CompteurJournalier.objects.all(), user)
    indicateur = CompteurJournalier.Indicateur
    installe = Q(installe_le__isnull=False)
    return {
        "questions": _par_an(questions, "recue_le", annees).annotate(
            recues=Count("pk"),
            repondues=Count("pk", filter=Q(premiere_reponse_le__isnull=False)),
            mediane=MedianeSecondes(_duree("premiere_reponse_le", "recue_le")),
            **{f"m{m}": Count("pk", filter=Q(recue_le__month=m)) for m in range(1, 13)},
        ),
        "rendezvous": _par_an(rendezvous, "debut", annees).annotate(
            total=Count("pk", filter=~Q(statut__in=["annule-usager", "annule-referent"])),
            honores=Count("pk", filter=Q(statut="honore")),
            absents=Count("pk", filter=Q(statut="absent")),
        ),
        # The cohort by profession and département: its totals are sums of these rows.
        "cohorte": _par_an(accompagnements, "premier_contact_le", annees).annotate(
            profession_=F("profession"),
            departement_=F("departement"),
            departement_nom=F("departement__nom"),
            n=Count("pk"),
            i=Count("pk", filter=installe),
            installes=Count("pk", filter=Q(etape=E.INSTALLE) | installe),
            projet=Count("pk", filter=Q(etape__in=[E.PREMIER_CONTACT, E.PROJET])),
        ),
        "installations": _par_an(accompagnements, "installe_le", annees).annotate(
            n=Count("pk"), mediane=MedianeSecondes(_duree("installe_le", "premier_contact_le"))
        ),
        "compteurs": _par_an(compteurs, "jour", annees).annotate(
            simulations=Sum("nombre", filter=Q(indicateur=indicateur.SIMULATION)),
            vues=Sum("nombre", filter=Q(indicateur=indicateur.AIDE_VUE)),
        ),
    }


def _questions(annee: Annee, ligne: dict) -> None:
    annee.questions_recues = ligne["recues"]
    annee.questions_repondues = ligne["repondues"]
    if ligne["mediane"] is not None:
        annee.delai_median = datetime.timedelta(seconds=ligne["mediane"])
    annee.questions_par_mois = {m: ligne[f"m{m}"] for m in range(1, 13)}


def _cohorte(annee: Annee, lignes: list[dict]) -> None:
    """Totals, by profession (most first) and by département of the year's cohort."""
    libelles = dict(Profession.choices)
    professions, departements = {}, {}
    for ligne in lignes:
        annee.accompagnes += ligne["n"]
        annee.dont_installes += ligne["installes"]
        annee.dont_en_projet += ligne["projet"]
        p = professions.setdefault(ligne["profession_"], [0, 0])
        d = departements.setdefault((ligne["departement_"], ligne["departement_nom"]), [0, 0])
        for compte in (p, d):
            compte[0] += ligne["n"]
            compte[1] += ligne["i"]
    annee.par_profession = [
        (libelles.get(code, code), n, i)
        for code, (n, i) in sorted(professions.items(), key=lambda c: (-c[1][0], c[0]))
    ]
    annee.par_territoire = [
        (f"{nom} ({code})", n, i) for (code, nom), (n, i) in sorted(departements.items())
    ]


def _remplir(par_an: dict[int, Annee], lignes: dict[str, list[dict]]) -> None:
    for ligne in lignes["questions"]:
        _questions(par_an[ligne["an"]], ligne)
    for ligne in lignes["rendezvous"]:
        annee = par_an[ligne["an"]]
        annee.rendezvous, annee.rendezvous_honores = ligne["total"], ligne["honores"]
        annee.rendezvous_absents = ligne["absents"]
    for an, annee in par_an.items():
        _cohorte(annee, [ligne for ligne in lignes["cohorte"] if ligne["an"] == an])
    for ligne in lignes["installations"]:
        annee = par_an[ligne["an"]]
        annee.installations = ligne["n"]
        if ligne["mediane"] is not None:
            annee.jours_median_installation = round(ligne["mediane"] / 86400, 1)
    for ligne in lignes["compteurs"]:
        annee = par_an[ligne["an"]]
        annee.simulations, annee.aides_vues = ligne["simulations"] or 0, ligne["vues"] or 0


def calculer_annees(user, perimetre: Perimetre, annees, *, autres: dict | None = None):
    """Every figure of each year for the perimeter, within the user's scope, in one query;
    ``autres``: more ``values()`` querysets to run in the same round trip (their rows are
    returned beside the years)."""
    par_an = {annee: Annee(annee) for annee in annees}
    for annee in par_an.values():
        annee.questions_par_mois = {m: 0 for m in range(1, 13)}
    requetes = _requetes_annees(user, perimetre, list(par_an))
    if set(requetes) & set(autres or {}):
        raise ValueError("autres : un nom déjà pris par les indicateurs")
    lignes = en_une_requete({**requetes, **(autres or {})})
    _remplir(par_an, lignes)
    return list(par_an.values()), {nom: lignes[nom] for nom in autres or {}}


def calculer(user, perimetre: Perimetre, annee: int) -> Annee:
    """Every figure of one year for the perimeter, within the user's scope."""
    return calculer_annees(user, perimetre, [annee])[0][0]


def en_cours(user, perimetre: Perimetre) -> int:
    return perimetre.filtrer(Accompagnement.objects.en_cours(), user).count()


def aides_a_reverifier(user, perimetre: Perimetre, jour: datetime.date | None = None):
    """Published aids of the territory checked more than a year ago (national ones nationally)."""
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


def _contenus_requetes(user, perimetre: Perimetre, jour: datetime.date | None = None) -> dict:
    """Parcours, documents and pages whose review date has come, within the territory: one
    ``values()`` queryset per model (key: the model's label)."""
    requetes = {}
    for modele in (Parcours, Document):
        qs = modele.objects.a_revoir(jour)
        if perimetre.departement is None and perimetre.region is None:
            qs = scoping.dans_le_perimetre(qs, user)
        else:
            qs = perimetre.filtrer(qs, user)
        requetes[modele._meta.label] = qs.order_by("revoir_le").values("pk", "titre", "revoir_le")[
            :20
        ]
    if scoping.est_national(user) and perimetre.cle == "tout":
        requetes[PageEditoriale._meta.label] = (
            PageEditoriale.objects.a_revoir(jour)
            .order_by("revoir_le")
            .values("pk", "titre", "revoir_le")
        )
    return requetes


def _contenus(lignes: dict[str, list[dict]]) -> list[dict]:
    contenus = []
    for label, rangees in lignes.items():
        meta = apps.get_model(label)._meta
        contenus += [
            {
                "titre": c["titre"],
                "type": meta.verbose_name,
                "revoir_le": datetime.date.fromisoformat(c["revoir_le"]),
                "url": reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[c["pk"]]),
            }
            for c in rangees
        ]
    return sorted(contenus, key=lambda c: c["revoir_le"])


def contenus_a_relire(user, perimetre: Perimetre, jour: datetime.date | None = None) -> list:
    """Parcours, documents and pages whose review date has come, within the territory."""
    return _contenus(en_une_requete(_contenus_requetes(user, perimetre, jour)))


def tableau(user, perimetre: Perimetre, annee: int) -> dict:
    """Everything the dashboard shows: the figures of ``annee`` and the year before, today's
    caseload and inbox, what is due for review. Computed in one query, then kept in the
    process under the versions of everything it reads — the staff space's data and the
    accounts' scopes (``ESPACE``), meetings, aids, installation content, pages — and the day:
    the next display after any write, of any kind, computes it again."""
    return _tableau(user, perimetre, annee, timezone.localdate())


@garde("espace.tableaux", ESPACE, AGENDA, AIDES, INSTALLATION, PAGES)
def _tableau(user, perimetre: Perimetre, annee: int, aujourdhui: datetime.date) -> dict:
    questions = Question.objects.pour_perimetre(user)
    contenus = _contenus_requetes(user, perimetre, aujourdhui)
    autres = {
        "en_cours": _un_total(perimetre.filtrer(Accompagnement.objects.en_cours(), user)).annotate(
            n=Count("pk")
        ),
        "boite": _un_total(questions.ouvertes()).annotate(
            a_traiter=Count("pk"), en_retard=Count("pk", filter=Q(echeance__lt=aujourdhui))
        ),
        "aides": aides_a_reverifier(user, perimetre, aujourdhui).values("pk", "nom", "verifie_le")[
            :20
        ],
        **contenus,
    }
    (actuelle, precedente), lignes = calculer_annees(
        user, perimetre, [annee, annee - 1], autres=autres
    )
    boite = (lignes["boite"] or [{"a_traiter": 0, "en_retard": 0}])[0]
    aides = [
        {**a, "verifie_le": datetime.date.fromisoformat(a["verifie_le"])} for a in lignes["aides"]
    ]
    return {
        "actuelle": actuelle,
        "precedente": precedente,
        "en_cours": (lignes["en_cours"] or [{"n": 0}])[0]["n"],
        "a_traiter": boite["a_traiter"],
        "en_retard": boite["en_retard"],
        "aides_a_reverifier": aides,
        "contenus_a_relire": _contenus({label: lignes[label] for label in contenus}),
    }
