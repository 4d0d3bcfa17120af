"""Staff sessions end sooner than public ones (they reach personal data of many people).

The login signal caps a staff session at ``SESSION_AGE_AGENTS`` seconds; allauth's login form
then resets it to "until the browser closes", so the middleware caps it again on the response
to a POST (the login), never adding a write to ordinary pages.
"""

from django.conf import settings

CLE_EXPIRATION = "_session_expiry"  # where Django's set_expiry stores the age


def plafonner(request, user) -> None:
    if user.is_staff and hasattr(request, "session"):
        age = settings.SESSION_AGE_AGENTS
        if request.session.get(CLE_EXPIRATION) != age:
            request.session.set_expiry(age)


def au_login(sender, request, user, **kwargs):
    if request is not None:
        plafonner(request, user)


def session_courte_pour_les_agents(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if request.method == "POST" and user is not None and user.is_authenticated:
            plafonner(request, user)
        return response

    return middleware
