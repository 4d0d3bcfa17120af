"""The one CSV writer of the project: `;`-separated, UTF-8 with a BOM, formulas neutralised
(and the open-data exports' JSON writer, ``reponse_json``).

Spreadsheets execute a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (CSV injection); such text cells are prefixed with an apostrophe, which spreadsheets
display as plain text. Numbers are written as they are.
"""

import csv
import datetime
import io
import json
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

BOM = "\ufeff"
DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def neutraliser(valeur) -> str | int | float | Decimal:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int | float | Decimal):
        return valeur
    if isinstance(valeur, datetime.datetime | datetime.date | datetime.time):
        return valeur.isoformat()
    texte = str(valeur)
    if texte.startswith(DEBUTS_DANGEREUX):
        return "'" + texte
    return texte


class EcrivainCSV:
    """A csv.writer that neutralises every cell and starts the file with a BOM."""

    def __init__(self, sortie, *, bom: bool = True):
        if bom:
            sortie.write(BOM)
        self._writer = csv.writer(sortie, delimiter=";", lineterminator="\r\n")

    def writerow(self, ligne: Iterable) -> None:
        self._writer.writerow([neutraliser(v) for v in ligne])

    def writerows(self, lignes: Iterable[Iterable]) -> None:
        for ligne in lignes:
            self.writerow(ligne)


def texte_csv(entetes: Iterable[str], lignes: Iterable[Iterable]) -> str:
    sortie = io.StringIO()
    ecrivain = EcrivainCSV(sortie)
    ecrivain.writerow(entetes)
    ecrivain.writerows(lignes)
    return sortie.getvalue()


def reponse_csv(nom_fichier: str, entetes: Iterable[str], lignes: Iterable[Iterable]):
    """An attachment download of the table."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    ecrivain = EcrivainCSV(response)
    ecrivain.writerow(entetes)
    ecrivain.writerows(lignes)
    return response


LICENCE = "Licence Ouverte / Etalab 2.0"


def reponse_json(nom_liste: str, lignes: Iterable[dict]) -> HttpResponse:
    """An open-data export as JSON: ``{"licence": …, nom_liste: [one object per line]}``, each
    row encoded as it is read (never a list of every row in memory: the aids' and posts'
    exports of every row hold 4,500 to 10,000 objects at national scale)."""
    morceaux = [json.dumps({"licence": LICENCE}, ensure_ascii=False)[:-1]]
    morceaux.append(f", {json.dumps(nom_liste)}: [\n")
    for i, ligne in enumerate(lignes):
        morceaux.append((",\n" if i else "") + json.dumps(ligne, ensure_ascii=False))
    morceaux.append("\n]}\n")
    return HttpResponse("".join(morceaux), content_type="application/json")
