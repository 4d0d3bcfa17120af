from django.urls import path

from installation import views

app_name = "rendezvous"

urlpatterns = [
    path("", views.rendez_vous, name="accueil"),
]
