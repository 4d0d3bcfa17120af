"""iCalendar (RFC 5545), once for the portal: the calendar object, the event with its UID on the
portal's host (from SITE_URL, never the request's Host header: a UID stays the same however the
file was fetched), the VTIMEZONE blocks and the HTTP response."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vText

TYPE_ICS = "text/calendar; charset=utf-8"


def domaine() -> str:
    """The host of SITE_URL: the right-hand side of every UID the portal writes."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def calendrier(**proprietes) -> Calendar:
    """A calendar with the portal's PRODID; ``x_wr_calname="…"`` gives ``X-WR-CALNAME``."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PORTAIL_NOM}//FR")
    cal.add("version", "2.0")
    for nom, valeur in proprietes.items():
        cal.add(nom.replace("_", "-"), valeur)
    return cal


def evenement(identifiant: str, *, debut, fin, resume: str, lieu: str = "", modifie_le=None,
              **proprietes) -> Event:  # fmt: skip
    """An event whose UID is ``<identifiant>@<portal host>``; other properties by name."""
    event = Event()
    event.add("uid", f"{identifiant}@{domaine()}")
    for nom, valeur in proprietes.items():
        event.add(nom, valeur)
    event.add("dtstamp", modifie_le or timezone.now())
    event.add("dtstart", debut)
    event.add("dtend", fin)
    event.add("summary", resume)
    event.add("location", vText(lieu))
    return event


def en_ics(cal: Calendar) -> bytes:
    """The calendar's bytes, with the VTIMEZONE blocks its times need (without icalendar's
    English COMMENT, which calendars display)."""
    cal.add_missing_timezones()
    for fuseau in cal.walk("VTIMEZONE"):
        fuseau.pop("COMMENT", None)
    return cal.to_ical()


def reponse_ics(contenu: bytes, *, nom: str | None = None) -> HttpResponse:
    response = HttpResponse(contenu, content_type=TYPE_ICS)
    if nom:
        response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response
