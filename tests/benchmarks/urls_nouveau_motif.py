"""The portal's URLconf plus three new public patterns (tests/benchmarks/test_pages_du_banc.py)."""

from django.http import Http404, HttpResponse
from django.urls import path

from guichet.urls import handler403, handler404, handler500  # noqa: F401
from guichet.urls import urlpatterns as portail


def nouvelle(request, inconnu=""):
    return HttpResponse("Nouvelle page")


def cassee(request):
    raise Http404


urlpatterns = [
    *portail,
    path("nouvelle-page/", nouvelle, name="nouvelle_page"),
    path("nouvelle-page/<str:inconnu>/", nouvelle, name="page_a_parametre"),
    path("page-cassee/", cassee, name="page_cassee"),
]
