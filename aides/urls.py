from django.urls import path

from aides import views

app_name = "aides"

urlpatterns = [
    path("", views.liste, name="liste"),
]
