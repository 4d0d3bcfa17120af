from django.urls import path

from installation import views

app_name = "installation"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("contacts/", views.contacts, name="contacts"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/<str:nom>", views.document_telecharger, name="document_telecharger"),
    path("mon-plan/", views.mon_plan, name="mon_plan"),
    path("mon-plan/<int:pk>/", views.plan, name="plan"),
    path("mon-plan/<int:pk>/mon-plan-d-installation.pdf", views.plan_pdf, name="plan_pdf"),
    path("mon-plan/<int:pk>/calendrier-mon-plan.csv", views.plan_csv, name="plan_csv"),
    path("mon-plan/<int:pk>/etapes/<int:etape_pk>/", views.plan_etape, name="plan_etape"),
    path("<slug:slug>/", views.parcours, name="parcours"),
    path("<slug:slug>/commencer/", views.plan_commencer, name="plan_commencer"),
    path("<slug:slug>/dossier.zip", views.dossier_zip, name="dossier_zip"),
    path("<slug:slug>/<slug:etape_slug>/", views.etape, name="etape"),
]
