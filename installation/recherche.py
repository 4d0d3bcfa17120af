"""Parcours steps and documents in the site search."""

from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from guichet.recherche import Resultat, source
from guichet.text import NormaliseFunc
from installation.models import Document, Etape, Parcours


def _contient(qs, q, *champs):
    morceaux = []
    for champ in champs:
        morceaux += [champ, Value(" ")]
    return qs.annotate(
        terme=NormaliseFunc(Value(q)),
        texte=NormaliseFunc(Concat(*morceaux, output_field=TextField())),
    ).filter(texte__contains=F("terme"))


@source
def etapes(q: str) -> list[Resultat]:
    trouvees = (
        _contient(
            Etape.objects.filter(
                parcours__in=Parcours.objects.publies(),
                region__isnull=True,
                departement__isnull=True,
            ),
            q,
            "titre",
            "description",
        )
        .select_related("parcours")
        .order_by("parcours__ordre", "ordre")[:10]
    )
    return [
        Resultat(f"{e.titre} ({e.parcours.titre})", e.get_absolute_url(), "Démarches")
        for e in trouvees
    ]


@source
def documents(q: str) -> list[Resultat]:
    trouves = _contient(Document.objects.publies(), q, "titre", "description").order_by("titre")[
        :10
    ]
    return [Resultat(d.titre, d.get_absolute_url(), "Documents", d.description) for d in trouves]
