"""What a visitor told the simulator (profession, situation, commune), to pre-fill a booking.

Kept in a signed cookie, not in the session: a simulation is an anonymous GET, and storing a
session for each one would write to the database on every result page. Nothing personal: a
profession, a career stage and a commune code, signed so that the booking form only pre-fills
values the portal itself wrote.
"""

from django.conf import settings
from django.core import signing

from guichet.cache_pages import cookie_renouvele

COOKIE = "projet_installation"
SEL = "guichet.projet"
DUREE = 60 * 60 * 12  # as long as a public session
CHAMPS = ("profession", "situation", "commune")


def memoriser(response, **projet) -> None:
    valeur = signing.dumps({k: str(projet[k]) for k in CHAMPS if projet.get(k)}, salt=SEL)
    response.set_cookie(
        COOKIE,
        valeur,
        max_age=DUREE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def lire(request) -> dict[str, str]:
    try:
        projet = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SEL, max_age=DUREE)
    except signing.BadSignature:  # absent, forged or expired
        return {}
    if not isinstance(projet, dict):
        return {}
    return {k: v for k, v in projet.items() if k in CHAMPS and isinstance(v, str)}


def _renouveler(valeur: str) -> str:
    """The same project, signed now: sent with each simulator result served from the cache."""
    return signing.dumps(signing.loads(valeur, salt=SEL), salt=SEL)


cookie_renouvele(COOKIE, _renouveler)
