"""What a post's page shows for its reader: the aids they could get there, through the
simulator's own eligibility (aides.eligibilite, never a copy of its rules), and the referent to
call, with a booking link that names the post's commune."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from aides import eligibilite
from guichet import projet
from guichet.cache import Fragments
from guichet.grammaire import de_departement, fonction_referents
from guichet.models import Commune
from guichet.versions import AGENDA, PAGES
from guichet.vocabulaire import Profession, Situation
from opportunites.models import Nature, Opportunite

AIDES_AFFICHEES = 6  # per profession; the rest is one link away, in the simulator

# The reader's career stage when the portal does not know it: the one a post of this kind
# is written for (a practice to take over: someone settling; housing: an intern...).
SITUATION_SUPPOSEE = {
    Nature.REPRISE: Situation.INSTALLE,
    Nature.ASSOCIATION: Situation.INSTALLE,
    Nature.SALARIE: Situation.INSTALLE,
    Nature.REMPLACEMENT: Situation.REMPLACANT,
    Nature.STAGE: Situation.INTERNE,
    Nature.LOGEMENT: Situation.INTERNE,
}
ORIGINES = {
    "profil": "d'après votre compte",
    "simulation": "d'après votre dernière simulation",
    "annonce": "supposée d'après le type d'annonce",
}


@dataclass
class AidesPossibles:
    profession: str
    libelle: str
    phrase: str  # the simulator's own result sentence
    aides: list  # the first AIDES_AFFICHEES eligible aids (aides.models.Aide)
    autres: int  # eligible aids not listed here
    url_simulateur: str  # the simulator, profession and commune given, to refine


def situation_du_lecteur(request, opportunite: Opportunite) -> tuple[str, str]:
    """The reader's career stage and where it comes from: their account, the simulator's
    project cookie, or else the one the post's kind is written for."""
    if request.user.is_authenticated and request.user.situation:
        return request.user.situation, "profil"
    situation = projet.lire(request).get("situation")
    if situation in Situation.values:
        return situation, "simulation"
    return SITUATION_SUPPOSEE.get(opportunite.nature, Situation.INSTALLE), "annonce"


def url_simulateur(profession: str, commune) -> str:
    """The simulator with the profession and the commune (its INSEE code) already answered: it
    opens on the next question (the reader's situation)."""
    parametres = urlencode({"profession": profession, "commune": commune.code})
    return f"{reverse('aides:simulateur')}?{parametres}"


def aides_possibles(request, opportunite: Opportunite) -> dict:
    """For each profession of the post, the aids the simulator finds in the post's commune for
    the reader's situation (kept per "aides" content version and day by the simulator), and
    what was assumed."""
    situation, origine = situation_du_lecteur(request, opportunite)
    commune = opportunite.commune
    par_profession = []
    for profession in opportunite.professions:
        if profession not in Profession.values:
            continue
        _, simulation = eligibilite.simulation_gardee(
            profession=profession, situation=situation, commune=commune
        )
        aides = [r.aide for r in simulation.eligibles]
        par_profession.append(
            AidesPossibles(
                profession=profession,
                libelle=Profession(profession).label,
                phrase=simulation.phrase(),
                aides=aides[:AIDES_AFFICHEES],
                autres=max(0, len(aides) - AIDES_AFFICHEES),
                url_simulateur=url_simulateur(profession, commune),
            )
        )
    return {
        "aides_possibles": par_profession,
        "situation_supposee": Situation(situation).label,
        "origine_situation": ORIGINES[origine],
        "poste_salarie": opportunite.nature == Nature.SALARIE,
    }


def referent_a_appeler(commune: Commune) -> dict:
    """The active installation referents of the commune's département (their names, kept per
    département under the "agenda" and "pages" content versions: a page served again need not
    read the accounts table) and the booking page, on the commune's INSEE code."""
    dep = commune.departement
    espace = Fragments.pour(AGENDA, PAGES).espace("opportunites.referents")
    referents = espace.get(dep.pk)
    if referents is None:
        actifs = list(dep.referents.filter(actif=True).select_related("utilisateur").order_by("pk"))
        referents = {
            "noms": [r.nom for r in actifs],
            "fonction": fonction_referents([r.genre for r in actifs]),
            "le_referent": actifs[0].le_referent if len(actifs) == 1 else "",
            "de_departement": de_departement(dep.code, dep.nom),
        }
        espace.set(dep.pk, referents)
    contacts = urlencode({"departement": dep.code})
    return {
        **referents,
        "url_rendezvous": f"{reverse('rendezvous:accueil')}?{urlencode({'commune': commune.code})}",
        "url_contacts": f"{reverse('installation:contacts')}?{contacts}",
    }
