"""Events as iCalendar (RFC 5545): one event, or a region's feed."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event


def calendrier_ics(evenements, *, titre: str, request) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PORTAIL_NOM}//agenda//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", titre)
    hote = request.get_host()
    for evenement in evenements:
        e = Event()
        e.add("uid", f"evenement-{evenement.pk}@{hote}")
        e.add("dtstamp", evenement.modifie_le or timezone.now())
        e.add("dtstart", evenement.debut)
        e.add("dtend", evenement.fin or evenement.debut + datetime.timedelta(hours=2))
        e.add("summary", evenement.titre)
        e.add("location", evenement.lieu)
        description = evenement.description
        if evenement.lien_inscription:
            description += f"\n\nInscription : {evenement.lien_inscription}"
        e.add("description", description)
        e.add("url", request.build_absolute_uri(evenement.get_absolute_url()))
        cal.add_component(e)
    return cal.to_ical()


def reponse_ics(evenements, *, nom: str, titre: str, request) -> HttpResponse:
    response = HttpResponse(
        calendrier_ics(evenements, titre=titre, request=request),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response
