from django.urls import path

from espace import views

app_name = "espace"

urlpatterns = [
    path("", views.tableau_de_bord, name="tableau_de_bord"),
    path("tableau-de-bord.csv", views.tableau_de_bord_csv, name="tableau_de_bord_csv"),
    path("questions/", views.boite, name="boite"),
    path("questions/<int:pk>/", views.question, name="question"),
    path(
        "questions/<int:pk>/accompagnement/",
        views.question_accompagnement,
        name="question_accompagnement",
    ),
    path("questions/<int:pk>/<slug:action>/", views.question_action, name="question_action"),
    path("accompagnements/", views.accompagnements, name="accompagnements"),
    path("accompagnements/nouveau/", views.accompagnement_modifier, name="accompagnement_nouveau"),
    path("accompagnements/<int:pk>/", views.accompagnement, name="accompagnement"),
    path(
        "accompagnements/<int:pk>/modifier/",
        views.accompagnement_modifier,
        name="accompagnement_modifier",
    ),
    path(
        "rendez-vous/<uuid:uuid>/accompagnement/",
        views.rendezvous_accompagnement,
        name="rendezvous_accompagnement",
    ),
]
