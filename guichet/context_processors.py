from django.conf import settings
from django.utils.translation import get_language
from dsfr.models import DsfrConfig

from guichet.cache import garde
from guichet.navigation import menu


# django-dsfr's own processor runs two queries on every page for a row edited once a year:
# kept in the process under the "pages" content version (guichet.cache).
@garde("options", "pages")
def configuration(langue: str) -> DsfrConfig | None:
    return DsfrConfig.objects.filter(language=langue).first() or DsfrConfig.objects.first()


def site_config(request):
    """django-dsfr's SITE_CONFIG (the configuration of the language, else the first one)."""
    return {"SITE_CONFIG": configuration(get_language())}


def portail(request):
    return {
        "ARS_NOM": settings.ARS_NOM,
        "PORTAIL_NOM": settings.PORTAIL_NOM,
        "ACCESSIBILITE_CONFORMITE": settings.ACCESSIBILITE_CONFORMITE,
        "menu_principal": menu(request.path),
        "recherche_q": request.GET.get("q", ""),
    }
