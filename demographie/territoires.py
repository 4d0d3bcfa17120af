"""The territories of the demography pages: France, a région, a département or a commune."""

from dataclasses import dataclass, field

from django.urls import reverse

from demographie.models import Niveau
from guichet import grammaire
from guichet.models import Commune, Departement, Region

FRANCE = "france"
CODE_FRANCE = "FR"
# From the coarsest to the finest level; France is the sum of the regions.
ORDRE_NIVEAUX = [Niveau.REGION.value, Niveau.DEPARTEMENT.value, Niveau.COMMUNE.value]
# Régions made of a single département (the five overseas ones): région and département are
# one territory, shown once; the région's subdivisions are the département's communes.
REGIONS_MONODEPARTEMENTALES = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}


@dataclass(frozen=True)
class Territoire:
    niveau: str
    code: str
    nom: str
    parent: "Territoire | None" = field(default=None, compare=False)
    region_code: str | None = None
    departement_code: str | None = None

    def __str__(self):
        return self.nom

    @property
    def libelle_niveau(self) -> str:
        return {FRANCE: "France", **dict(Niveau.choices)}[self.niveau]

    @property
    def est_france(self) -> bool:
        return self.niveau == FRANCE

    @property
    def de_nom(self) -> str:
        """The name after "de": "de la France", "de la Martinique", "des Deux-Sèvres (79)",
        "de Felletin (23)" (``guichet.grammaire``)."""
        if self.est_france:
            return "de la France"
        if self.niveau == Niveau.REGION:
            return grammaire.de_region(self.code, self.nom)
        nom, _, suite = self.nom.partition(" (")  # "Creuse (23)", "Le Lamentin (972)"
        suite = f" ({suite}" if suite else ""
        if self.niveau == Niveau.DEPARTEMENT:
            return grammaire.de_departement(self.code, nom) + suite
        return grammaire.de_commune(nom) + suite

    def filtre(self) -> dict:
        """Lookup on a headcount or population row for the rows inside this territory."""
        if self.niveau == Niveau.REGION:
            return {"region_id": self.code}
        if self.niveau == Niveau.DEPARTEMENT:
            return {"departement_id": self.code}
        if self.niveau == Niveau.COMMUNE:
            return {"commune_id": self.code}
        return {}

    @property
    def monodepartemental(self) -> bool:
        return self.niveau == Niveau.REGION and self.code in REGIONS_MONODEPARTEMENTALES

    @property
    def niveau_enfants(self) -> str | None:
        if self.est_france:
            return Niveau.REGION
        if self.monodepartemental:
            return Niveau.COMMUNE
        i = ORDRE_NIVEAUX.index(self.niveau)
        return ORDRE_NIVEAUX[i + 1] if i + 1 < len(ORDRE_NIVEAUX) else None

    def get_absolute_url(self) -> str:
        return reverse("demographie:territoire", kwargs={"niveau": self.niveau, "code": self.code})

    def url_csv(self) -> str:
        return reverse(
            "demographie:territoire_csv", kwargs={"niveau": self.niveau, "code": self.code}
        )

    def url_bulletin(self, annee: int) -> str:
        """An overseas département and its single-département région are one territory: both
        pages link the région's bulletin."""
        niveau, code = self.niveau, self.code
        if niveau == Niveau.DEPARTEMENT and self.region_code in REGIONS_MONODEPARTEMENTALES:
            niveau, code = Niveau.REGION.value, self.region_code
        return reverse(
            "demographie:bulletin_pdf", kwargs={"annee": annee, "niveau": niveau, "code": code}
        )

    def chaine(self) -> list["Territoire"]:
        """This territory and its parents up to France."""
        t, chaine = self, []
        while t is not None:
            chaine.append(t)
            t = t.parent
        return chaine


class TerritoireInconnu(LookupError):
    pass


def france() -> Territoire:
    return Territoire(FRANCE, CODE_FRANCE, "France")


def de_region(region: Region) -> Territoire:
    return Territoire(
        Niveau.REGION,
        region.code,
        region.nom,
        france(),
        region_code=region.code,
        departement_code=REGIONS_MONODEPARTEMENTALES.get(region.code),
    )


def de_departement(dep: Departement) -> Territoire:
    # A single-département région is not a parent of its département: it is the same place.
    region = de_region(dep.region)
    return Territoire(
        Niveau.DEPARTEMENT,
        dep.code,
        f"{dep.nom} ({dep.code})",
        france() if region.monodepartemental else region,
        region_code=dep.region_id,
        departement_code=dep.code,
    )


def de_commune(c: Commune) -> Territoire:
    """A commune read with its département and région (``select_related``): no query."""
    return Territoire(
        Niveau.COMMUNE,
        c.code,
        f"{c.nom} ({c.departement_id})",
        de_departement(c.departement),
        region_code=c.departement.region_id,
        departement_code=c.departement_id,
    )


def trouver(niveau: str, code: str) -> Territoire:
    """The territory of a URL, with its parents (one query at most)."""
    if niveau == FRANCE and code == CODE_FRANCE:
        return france()
    try:
        if niveau == Niveau.REGION:
            return de_region(Region.objects.get(pk=code))
        if niveau == Niveau.DEPARTEMENT:
            return de_departement(Departement.objects.select_related("region").get(pk=code))
        if niveau == Niveau.COMMUNE:
            return de_commune(Commune.objects.select_related("departement__region").get(pk=code))
    except (Region.DoesNotExist, Departement.DoesNotExist, Commune.DoesNotExist) as exc:
        raise TerritoireInconnu(f"{niveau} {code}") from exc
    raise TerritoireInconnu(f"{niveau} {code}")


def sous_territoires(t: Territoire, codes: set[str] | None = None) -> list[Territoire]:
    """The children of a territory (limited to ``codes`` when given), in code order."""
    if t.est_france:
        qs = Region.objects.all()
        enfants = [de_region(r) for r in qs.order_by("code")]
    elif t.niveau == Niveau.DEPARTEMENT or t.monodepartemental:
        qs = Commune.objects.filter(departement_id=t.departement_code)
        if codes is not None:
            qs = qs.filter(code__in=codes)
        enfants = [
            Territoire(Niveau.COMMUNE, c.code, c.nom, t, t.region_code, t.departement_code)
            for c in qs.order_by("code")
        ]
    elif t.niveau == Niveau.REGION:
        qs = Departement.objects.filter(region_id=t.code).order_by("code")
        enfants = [
            Territoire(Niveau.DEPARTEMENT, d.code, f"{d.nom} ({d.code})", t, t.code, d.code)
            for d in qs
        ]
    else:
        enfants = []
    if codes is not None:
        enfants = [e for e in enfants if e.code in codes]
    return enfants
