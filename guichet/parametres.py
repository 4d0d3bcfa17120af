"""Parsers of the values a URL carries (path segments, query parameters).

Each one takes any text and returns the value or ``None``, never an exception: the caller falls
back to its default or answers 404. Python reads more than a database or the calendar can hold
(``int("٣")``, ``int("9" * 30)``, ``date(9999, 12, 31) + timedelta(days=1)``), so each one
accepts ASCII digits only and bounds what it returns: a week after 9999-12-31 does not exist,
and an id above 2⁶³ − 1 is no PostgreSQL ``bigint``.
"""

import datetime
import re

# The dates the portal deals in (meetings, agendas, dashboards): any other is an input error,
# and a day, a week or a year on either side of them still exists.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
ENTIER_MAX = 2**63 - 1  # PostgreSQL bigint, the type of every primary key (BigAutoField)

_ENTIER = re.compile(r"[0-9]{1,19}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_HEURE = re.compile(r"[0-9]{8}T[0-9]{4}")


def lire_entier(valeur, *, minimum: int = 0, maximum: int = ENTIER_MAX) -> int | None:
    """A non-negative integer written in ASCII digits, within [minimum, maximum]."""
    if not isinstance(valeur, str) or not _ENTIER.fullmatch(valeur):
        return None
    nombre = int(valeur)
    return nombre if minimum <= nombre <= maximum else None


def lire_date(
    valeur, *, minimum: datetime.date = DATE_MIN, maximum: datetime.date = DATE_MAX
) -> datetime.date | None:
    """A date written ``YYYY-MM-DD`` (nothing else ``fromisoformat`` would take), in bounds."""
    if not isinstance(valeur, str) or not _DATE.fullmatch(valeur):
        return None
    try:
        jour = datetime.date.fromisoformat(valeur)
    except ValueError:  # 2026-02-30, 2026-13-01, 0000-01-01
        return None
    return jour if minimum <= jour <= maximum else None


def lire_date_heure_utc(valeur) -> datetime.datetime | None:
    """A UTC minute written ``YYYYMMDDTHHMM`` (a slot's start in its key), within the dates."""
    if not isinstance(valeur, str) or not _DATE_HEURE.fullmatch(valeur):
        return None
    try:
        moment = datetime.datetime.strptime(valeur, "%Y%m%dT%H%M")
    except ValueError:
        return None
    if not DATE_MIN <= moment.date() <= DATE_MAX:
        return None
    return moment.replace(tzinfo=datetime.UTC)
