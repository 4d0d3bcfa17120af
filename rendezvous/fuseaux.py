"""Meeting times are shown in the meeting's zone (its region's), named in French."""

import datetime
from zoneinfo import ZoneInfo

from guichet.grammaire import formater_date
from guichet.models import FUSEAU_PAR_DEFAUT

NOMS_FUSEAUX = {
    "Europe/Paris": "heure de Paris",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
    "America/Miquelon": "heure de Saint-Pierre-et-Miquelon",
    "Pacific/Noumea": "heure de la Nouvelle-Calédonie",
    "Pacific/Tahiti": "heure de Tahiti",
}


def fuseau(nom: str | None) -> ZoneInfo:
    return ZoneInfo(nom or FUSEAU_PAR_DEFAUT)


def nom_fuseau(zone: ZoneInfo | str) -> str:
    """ "heure de la Martinique": never an IANA code in front of a user."""
    cle = zone if isinstance(zone, str) else zone.key
    return NOMS_FUSEAUX.get(cle, "heure locale")


def horaire(moment: datetime.datetime, zone: ZoneInfo, format_: str = "l j F Y à H:i") -> str:
    """A moment as the clock reads it in ``zone``, whatever the active time zone."""
    return formater_date(moment.astimezone(zone), format_)
