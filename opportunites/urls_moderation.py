from django.urls import path

from opportunites import moderation

app_name = "opportunites_moderation"

urlpatterns = [
    path("", moderation.file, name="file"),
    path("bilan/", moderation.tableau, name="bilan"),
    path("bilan.csv", moderation.tableau_csv, name="bilan_csv"),
    path("<int:pk>/", moderation.annonce, name="annonce"),
    path("<int:pk>/<slug:decision>/", moderation.decider, name="decider"),
]
