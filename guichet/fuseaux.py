"""Time zones, once for the portal: a territory's zone, its French name, a moment as the clock
reads it there. Every time shown to someone (meetings, questions, agendas, e-mails, ICS) goes
through this module; nothing else builds a ZoneInfo."""

import datetime
from zoneinfo import ZoneInfo

from guichet.grammaire import formater_date

# The ARS regions and their IANA time zones (opening hours are wall-clock times there).
FUSEAUX_REGIONS = {
    "01": "America/Guadeloupe",
    "02": "America/Martinique",
    "03": "America/Cayenne",
    "04": "Indian/Reunion",
    "06": "Indian/Mayotte",
}
FUSEAU_PAR_DEFAUT = "Europe/Paris"

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


def fuseau_de(territoire) -> ZoneInfo:
    """The zone of a region, or of a département (its region's); Paris for None."""
    region = getattr(territoire, "region", territoire)
    return fuseau(region.fuseau_horaire if region is not None else None)


def nom_fuseau(zone: ZoneInfo | str) -> str:
    """ "heure de la Martinique": never an IANA code in front of a user."""
    cle = zone if isinstance(zone, str) else zone.key
    return NOMS_FUSEAUX.get(cle, "heure locale")


def horaire(moment: datetime.datetime, zone: ZoneInfo, format_: str = "l j F Y à H:i") -> str:
    """A moment as the clock reads it in ``zone``, whatever the active time zone."""
    return formater_date(moment.astimezone(zone), format_)


def bornes_des_jours(jour: datetime.date, nb_jours: int, zone: ZoneInfo):
    """The moments ``nb_jours`` local days starting at ``jour`` begin and end in ``zone``."""
    debut = datetime.datetime.combine(jour, datetime.time.min, zone)
    return debut, datetime.datetime.combine(
        jour + datetime.timedelta(days=nb_jours), datetime.time.min, zone
    )
