import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from dsfr.models import DsfrConfig

from guichet.navigation import menu

# django-dsfr's own processor runs two queries on every page for a row edited once a year.
# Kept in the process for a minute; a save or delete clears it at once in the saving process.
DUREE_CONFIGURATION_S = 60
_configurations: dict[str, tuple[float, DsfrConfig | None]] = {}


def oublier_configuration(**kwargs):
    _configurations.clear()


post_save.connect(oublier_configuration, sender=DsfrConfig, dispatch_uid="guichet_dsfr_config")
post_delete.connect(oublier_configuration, sender=DsfrConfig, dispatch_uid="guichet_dsfr_config")


def site_config(request):
    """django-dsfr's SITE_CONFIG (the configuration of the language, else the first one)."""
    langue = get_language()
    expire, configuration = _configurations.get(langue, (0.0, None))
    if time.monotonic() >= expire:
        configuration = (
            DsfrConfig.objects.filter(language=langue).first() or DsfrConfig.objects.first()
        )
        _configurations[langue] = (time.monotonic() + DUREE_CONFIGURATION_S, configuration)
    return {"SITE_CONFIG": configuration}


def portail(request):
    return {
        "ARS_NOM": settings.ARS_NOM,
        "PORTAIL_NOM": settings.PORTAIL_NOM,
        "ACCESSIBILITE_CONFORMITE": settings.ACCESSIBILITE_CONFORMITE,
        "menu_principal": menu(request.path),
        "recherche_q": request.GET.get("q", ""),
    }
