"""Aids in the site search: open schemes first, then closed ones, said to be closed (a user
looking up the PTMG must learn that it ended, not find nothing)."""

from aides.models import Aide
from guichet.grammaire import formater_date
from guichet.recherche import Resultat, source


@source
def aides(q: str) -> list[Resultat]:
    publiees = Aide.objects.publiees()
    resultats = [
        Resultat(a.titre, a.get_absolute_url(), "Aides", a.resume)
        for a in publiees.ouvertes().recherche(q)[:10]
    ]
    for a in publiees.closes().recherche(q)[:5]:
        titre = f"{a.titre} (dispositif clos depuis le {formater_date(a.valide_au, 'j F Y')})"
        resultats.append(Resultat(titre, a.get_absolute_url(), "Aides", a.resume))
    return resultats
