from django.urls import path

from opportunites import views

app_name = "opportunites"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]
