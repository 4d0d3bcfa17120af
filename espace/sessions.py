"""Staff sessions end sooner than public ones (they reach personal data of many people)."""

from django.conf import settings


def session_courte_pour_les_agents(sender, request, user, **kwargs):
    if user.is_staff and hasattr(request, "session"):
        request.session.set_expiry(settings.SESSION_AGE_AGENTS)
