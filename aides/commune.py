"""The aids app's sections of the commune page: zoning per profession, aids open there."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from aides.models import Aide, Zonage
from guichet.cache import Fragments
from guichet.fiche_commune import Section, garder, section
from guichet.models import Commune
from guichet.vocabulaire import Profession

PROFESSIONS = [p for p in Profession if p != Profession.AUTRE]


@dataclass
class ZonageProfession:
    profession: str
    libelle: str
    zonages: list  # Zonage rows of the commune for the profession, empty when unknown

    @property
    def inconnu(self) -> bool:
        return not self.zonages

    @property
    def niveaux(self) -> list[str]:
        return [z.niveau for z in self.zonages]

    @property
    def fictif(self) -> bool:
        return any(z.fictif for z in self.zonages)


def zonages_de(commune: Commune) -> list[ZonageProfession]:
    """The commune's zoning per profession, read once per page (two sections show it)."""
    if "_zonages_par_profession" not in commune.__dict__:
        commune.__dict__["_zonages_par_profession"] = _zonages_de(commune)
    return commune.__dict__["_zonages_par_profession"]


def _zonages_de(commune: Commune) -> list[ZonageProfession]:
    par_profession: dict[str, list] = {}
    for z in Zonage.objects.filter(commune=commune).order_by("profession", "niveau"):
        par_profession.setdefault(z.profession, []).append(z)
    return [
        ZonageProfession(p.value, p.label, par_profession.get(p.value, [])) for p in PROFESSIONS
    ]


# Aids listed per profession on the commune page; the rest is one link away, in the aid list
# filtered on the same commune and profession (same rule: ``AideQuerySet.pour_commune``).
# A national catalogue gives a commune hundreds of aids per profession: listing them all made
# a 370 kB page nobody reads.
AIDES_PAR_PROFESSION = 8
COLONNES = [
    "pk",
    "slug",
    "nom",
    "sigle",
    "professions",
    "zonage_requis",
    "montant",
    "unite",
    "valide_au",
]


def aides_par_profession(commune: Commune, zonages: list[ZonageProfession]) -> list[dict]:
    """For each profession, the open aids whose reach holds the commune and whose zoning
    condition is met, or cannot be checked (unknown zoning never excludes an aid): the count,
    the first ``AIDES_PAR_PROFESSION`` by name and the link to all of them."""
    aides = list(
        Aide.objects.publiees().ouvertes().portee_contient(commune).only(*COLONNES).order_by("nom")
    )
    resultat = []
    for zp in zonages:
        lignes = []
        for aide in aides:
            if aide.professions and zp.profession not in aide.professions:
                continue
            a_verifier = bool(aide.zonage_requis) and zp.inconnu
            if (
                aide.zonage_requis
                and not zp.inconnu
                and not set(aide.zonage_requis) & set(zp.niveaux)
            ):
                continue
            lignes.append({"aide": aide, "a_verifier": a_verifier})
        if lignes:
            resultat.append(
                {
                    "zonage": zp,
                    "aides": lignes[:AIDES_PAR_PROFESSION],
                    "nombre": len(lignes),
                    "url_toutes": reverse("aides:liste")
                    + "?"
                    + urlencode({"profession": zp.profession, "commune": commune.code}),
                }
            )
    return resultat


# Kept per "aides" content version and day (guichet.cache), per commune: zoning and aids
# change only with a write to those tables, and "open" with the date.


def _garder(nom, commune, construire):
    espace = Fragments.pour("aides").espace("fiche_commune")
    return garder(espace, (nom, commune.code), construire)


@section
def section_zonage(commune: Commune):
    def construire():
        zonages = zonages_de(commune)
        return Section(
            10,
            "Zonage de la commune par profession",
            "aides/commune/_zonage.html",
            {"zonages": zonages, "connus": sum(not z.inconnu for z in zonages)},
            ancre="zonage",
        )

    return _garder("zonage", commune, construire)


@section
def section_aides(commune: Commune):
    def construire():
        zonages = zonages_de(commune)
        return Section(
            20,
            "Aides ouvertes dans cette commune",
            "aides/commune/_aides.html",
            {"par_profession": aides_par_profession(commune, zonages), "commune": commune},
            ancre="aides",
        )

    return _garder("aides", commune, construire)
