"""URLconf of the bare handler (benchmarks.wsgi): the bare view only."""

from django.urls import path

from benchmarks import views

urlpatterns = [path("_bench/nue/", views.reference, name="nue")]
