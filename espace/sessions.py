"""Staff sessions end sooner than public ones (they reach personal data of many people).

allauth sets the session to end with the browser after its login form; the middleware then
caps a staff session at ``SESSION_AGE_AGENTS`` seconds (server side), whatever the login path,
from the response of the login itself.
"""

from django.conf import settings

CLE = "_session_agent"


def session_courte_pour_les_agents(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            age = settings.SESSION_AGE_AGENTS
            if request.session.get(CLE) != age:
                request.session.set_expiry(age)
                request.session[CLE] = age
        return response

    return middleware
