from django.urls import path

from installation import views

app_name = "agenda"

urlpatterns = [
    path("", views.agenda, name="accueil"),
    path("<int:pk>/", views.evenement, name="evenement"),
    path("<int:pk>/evenement.ics", views.evenement_ics, name="evenement_ics"),
    path("region/<str:code>.ics", views.region_ics, name="region_ics"),
]
