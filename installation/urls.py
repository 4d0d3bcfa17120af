from django.urls import path

from installation import views

app_name = "installation"

urlpatterns = [
    path("", views.accueil, name="accueil"),
]
