"""Aids in the site search."""

from aides.models import Aide
from guichet.recherche import Resultat, source


@source
def aides(q: str) -> list[Resultat]:
    trouvees = Aide.objects.publiees().ouvertes().recherche(q)[:10]
    return [Resultat(a.titre, a.get_absolute_url(), "Aides", a.resume) for a in trouvees]
