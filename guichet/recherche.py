"""Site search: each app registers a function returning results for a query."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from guichet.text import NormaliseFunc


@dataclass
class Resultat:
    titre: str
    url: str
    rubrique: str
    extrait: str = ""


SOURCES: list[Callable[[str], list[Resultat]]] = []


def source(fonction):
    SOURCES.append(fonction)
    return fonction


def rechercher(q: str) -> list[Resultat]:
    resultats = []
    for fonction in SOURCES:
        resultats.extend(fonction(q))
    return resultats


@source
def pages_editoriales(q: str) -> list[Resultat]:
    from guichet.models import PageEditoriale

    pages = (
        PageEditoriale.objects.annotate(
            terme=NormaliseFunc(Value(q)),
            texte=NormaliseFunc(
                Concat(
                    "titre", Value(" "), "chapo", Value(" "), "contenu", output_field=TextField()
                )
            ),
        )
        .filter(texte__contains=F("terme"))
        .order_by("titre")
    )
    return [Resultat(p.titre, p.get_absolute_url(), "Informations", p.chapo) for p in pages]
