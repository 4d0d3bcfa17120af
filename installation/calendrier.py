"""Events as iCalendar (RFC 5545): one event, or a region's feed (built by guichet.calendrier)."""

import datetime

from django.http import HttpResponse

from guichet import calendrier


def calendrier_ics(evenements, *, titre: str, request) -> bytes:
    cal = calendrier.calendrier(x_wr_calname=titre)
    for evenement in evenements:
        description = evenement.description
        if evenement.lien_inscription:
            description += f"\n\nInscription : {evenement.lien_inscription}"
        cal.add_component(calendrier.evenement(
            f"evenement-{evenement.pk}",
            debut=evenement.debut,
            fin=evenement.fin or evenement.debut + datetime.timedelta(hours=2),
            resume=evenement.titre,
            lieu=evenement.lieu,
            modifie_le=evenement.modifie_le,
            description=description,
            url=request.build_absolute_uri(evenement.get_absolute_url()),
        ))  # fmt: skip
    return calendrier.en_ics(cal)


def reponse_ics(evenements, *, nom: str, titre: str, request) -> HttpResponse:
    return calendrier.reponse_ics(calendrier_ics(evenements, titre=titre, request=request), nom=nom)
