from django.urls import path

from opportunites import views

app_name = "opportunites"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("publier/", views.publier, name="publier"),
    path("mes-annonces/", views.mes_annonces, name="mes_annonces"),
    path("alertes/", views.mes_alertes, name="alertes"),
    path("alertes/creer/", views.alerte_creer, name="alerte_creer"),
    path("alertes/<int:pk>/supprimer/", views.alerte_supprimer, name="alerte_supprimer"),
    path("alertes/flux/<str:jeton>/", views.FluxAlerte(), name="flux"),
    path("alertes/desabonner/<str:jeton>/", views.desabonner, name="desabonner"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/document.pdf", views.piece_jointe, name="piece_jointe"),
    path("<int:pk>/signaler/", views.signaler, name="signaler"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/contacter/", views.contacter, name="contacter"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("<int:pk>/<slug:action>/", views.action_auteur, name="action"),
]
