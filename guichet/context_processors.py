from django.conf import settings

from guichet.navigation import menu


def portail(request):
    return {
        "ARS_NOM": settings.ARS_NOM,
        "PORTAIL_NOM": settings.PORTAIL_NOM,
        "ACCESSIBILITE_CONFORMITE": settings.ACCESSIBILITE_CONFORMITE,
        "menu_principal": menu(request.path),
        "recherche_q": request.GET.get("q", ""),
    }
