"""The public side of the staff space: asking the referent a question."""

from django.urls import path

from espace import views

app_name = "question"

urlpatterns = [
    path("", views.poser_question, name="poser"),
    path("envoyee/", views.question_envoyee, name="envoyee"),
]
