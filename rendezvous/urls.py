from django.urls import path, re_path, register_converter

from guichet.parametres import lire_date
from rendezvous import views


class DateConverter:
    regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        jour = lire_date(value)  # a day and a week on either side exist
        if jour is None:
            raise ValueError(value)  # no match, hence a 404
        return jour

    def to_url(self, value):
        return value.isoformat()


register_converter(DateConverter, "date")

app_name = "rendezvous"

DEPARTEMENT = r"(?P<departement>\d[\dAB]\d?)"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/jour/<date:jour>/", views.agenda_jour, name="agenda_jour"),
    path("agenda/semaine/<date:jour>/", views.agenda_semaine, name="agenda_semaine"),
    path("agenda/<uuid:uuid>/deplacer/", views.agenda_deplacer, name="agenda_deplacer"),
    path("agenda/export.csv", views.agenda_export, name="agenda_export"),
    path("agenda/nouvelle-adresse/", views.agenda_nouveau_jeton, name="agenda_nouveau_jeton"),
    path("agenda/<uuid:uuid>/statut/", views.agenda_statut, name="agenda_statut"),
    path("agenda/flux/<str:jeton>.ics", views.flux_ical, name="flux_ical"),
    path("confirmation/<uuid:uuid>/", views.confirmation, name="confirmation"),
    path("gerer/<str:jeton>/", views.gerer, name="gerer"),
    path("gerer/<str:jeton>/deplacer/", views.gerer_deplacer, name="gerer_deplacer"),
    re_path(rf"^{DEPARTEMENT}/$", views.motifs, name="motifs"),
    re_path(rf"^{DEPARTEMENT}/(?P<motif>[-\w]+)/$", views.creneaux, name="creneaux"),
    re_path(rf"^{DEPARTEMENT}/(?P<motif>[-\w]+)/reserver/$", views.reserver, name="reserver"),
]
