from django.urls import path, register_converter

from demographie import views
from demographie.importation import ANNEE_MAX, ANNEE_MIN
from guichet.parametres import lire_entier


class NiveauConverter:
    regex = "france|region|departement|commune"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CodeConverter:
    regex = "FR|[0-9][0-9AB][0-9]{0,3}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class AnneeConverter:
    """A year the data can hold (as the imports accept it): any other is a 404, never a
    ``smallint`` overflow when a staff member's request renders an edition."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        annee = lire_entier(value, minimum=ANNEE_MIN, maximum=ANNEE_MAX)
        if annee is None:
            raise ValueError(value)
        return annee

    def to_url(self, value):
        return str(value)


register_converter(NiveauConverter, "niveau")
register_converter(AnneeConverter, "annee")
register_converter(CodeConverter, "code")

app_name = "demographie"

FRANCE = {"niveau": "france", "code": "FR"}

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path(
        "bulletin/<annee:annee>/<niveau:niveau>/<code:code>.pdf",
        views.bulletin_pdf,
        name="bulletin_pdf",
    ),
    # Short national addresses (also what reverse() gives without arguments).
    path("bulletin/france.pdf", views.dernier_bulletin, FRANCE, name="bulletin_pdf"),
    path("france.csv", views.territoire_csv, FRANCE, name="territoire_csv"),
    path("france/", views.territoire, FRANCE, name="territoire"),
    path("<niveau:niveau>/<code:code>/", views.territoire, name="territoire"),
    path("<niveau:niveau>/<code:code>.csv", views.territoire_csv, name="territoire_csv"),
]
