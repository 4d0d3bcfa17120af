"""The aids app's sections of the commune page: zoning per profession, aids open there."""

from dataclasses import dataclass

from aides.models import Aide, Zonage
from guichet.fiche_commune import Section, section
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
    par_profession: dict[str, list] = {}
    for z in Zonage.objects.filter(commune=commune).order_by("profession", "niveau"):
        par_profession.setdefault(z.profession, []).append(z)
    return [
        ZonageProfession(p.value, p.label, par_profession.get(p.value, [])) for p in PROFESSIONS
    ]


def aides_par_profession(commune: Commune, zonages: list[ZonageProfession]) -> list[dict]:
    """For each profession, the open aids whose reach holds the commune and whose zoning
    condition is met, or cannot be checked (unknown zoning never excludes an aid)."""
    aides = list(Aide.objects.publiees().ouvertes().portee_contient(commune).order_by("nom"))
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
            resultat.append({"zonage": zp, "aides": lignes})
    return resultat


@section
def section_zonage(commune: Commune):
    zonages = zonages_de(commune)
    return Section(
        10,
        "Zonage de la commune par profession",
        "aides/commune/_zonage.html",
        {"zonages": zonages, "connus": sum(not z.inconnu for z in zonages)},
        ancre="zonage",
    )


@section
def section_aides(commune: Commune):
    zonages = zonages_de(commune)
    return Section(
        20,
        "Aides ouvertes dans cette commune",
        "aides/commune/_aides.html",
        {"par_profession": aides_par_profession(commune, zonages), "commune": commune},
        ancre="aides",
    )
