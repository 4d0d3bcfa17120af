"""The demography app's section of the commune page: headcounts and densities of the commune
and its département (registered with the core, guichet.fiche_commune)."""

from demographie import indicateurs, territoires
from guichet.cache import Fragments
from guichet.fiche_commune import Section, garder, section
from guichet.models import Commune
from guichet.vocabulaire import Profession

# Kept per content version ("demographie") and day, per commune (budget: "fiche_commune").


@section
def section_demographie(commune: Commune):
    espace = Fragments.pour("demographie").espace("fiche_commune")
    return garder(espace, ("demographie", commune.code), lambda: _demographie(commune))


def _demographie(commune: Commune):
    lignes = []
    fictif = False
    # the page read the commune with its département and région: no query for the territories
    for t in (territoires.de_commune(commune), territoires.de_departement(commune.departement)):
        profil = indicateurs.profil(t, profession=Profession.MEDECIN_GENERALISTE, detail=False)
        fictif = fictif or profil.donnees_fictives
        professions = [
            (Profession(code).label if code in Profession.values else code, agregat)
            for code, agregat in profil.professions.items()
        ]
        lignes.append({"territoire": t, "profil": profil, "professions": professions})
    return Section(
        40,
        "Démographie des professionnels de santé",
        "demographie/commune/_demographie.html",
        {"lignes": lignes, "fictif": fictif},
        ancre="demographie",
    )
