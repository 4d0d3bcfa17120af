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


ORDRE_RUBRIQUES = ["Communes", "Aides", "Démarches", "Documents", "Informations"]


def rechercher(q: str) -> list[Resultat]:
    resultats = []
    for fonction in SOURCES:
        resultats.extend(fonction(q))
    rang = {r: i for i, r in enumerate(ORDRE_RUBRIQUES)}
    return sorted(resultats, key=lambda r: rang.get(r.rubrique, len(rang)))


@source
def pages_editoriales(q: str) -> list[Resultat]:
    from guichet.models import PageEditoriale

    pages = (
        PageEditoriale.objects.publies()
        .annotate(
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


def communes_trouvees(q: str, limite: int = 8):
    """Communes for a site search: by name (exact names first) or by postal code."""
    from guichet.models import Commune

    return list(Commune.objects.recherche(q, limite).select_related("departement"))


def commune_evidente(q: str):
    """The one commune a query names unambiguously, or None (the search then lists the
    candidates): its exact name, a suggestion's label ("Niort — Deux-Sèvres (79), 79000"),
    a name with its postal code, or a postal code that belongs to a single commune."""
    from django.core.exceptions import ValidationError

    from guichet.forms import _CODE_EN_FIN, CommuneField
    from guichet.text import normalise_python

    if _CODE_EN_FIN.search(q):
        try:
            return CommuneField().clean(q)
        except ValidationError:
            return None
    exacts = [c for c in communes_trouvees(q, 20) if normalise_python(c.nom) == normalise_python(q)]
    return exacts[0] if len(exacts) == 1 else None


@source
def communes(q: str) -> list[Resultat]:
    from django.urls import reverse

    return [
        Resultat(
            c.libelle,
            reverse("guichet:commune", args=[c.code]),
            "Communes",
            "Zonage, aides, contacts et démographie de la commune.",
        )
        for c in communes_trouvees(q)
    ]
