from django.urls import path

from aides import views

app_name = "aides"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("simulateur/", views.simulateur, name="simulateur"),
    path("simulateur/enregistrer/", views.simulation_enregistrer, name="simulation_enregistrer"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/apercu/", views.apercu, name="apercu"),
]
