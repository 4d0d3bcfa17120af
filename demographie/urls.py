from django.urls import path

from demographie import views

app_name = "demographie"

urlpatterns = [
    path("", views.accueil, name="accueil"),
]
