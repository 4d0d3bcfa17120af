"""Demo content of the aids app: the real catalogue, and a FICTITIOUS zoning (flagged as such)
for a few départements, so that the commune filter and the simulator can be tried."""

import hashlib
import zlib

from django.db import transaction

from aides.models import Zonage
from aides.services import catalogue_charger
from guichet.models import Commune, JeuDeDonnees

DEPARTEMENTS_DEMO = ["79", "972", "23", "58"]
SOURCE_DEMO = "Zonage fictif de démonstration (ne pas utiliser)"
JEU = "zonage-demo"


def _niveau(code: str, profession: str, niveaux: list[tuple[str, int]]) -> str | None:
    """A deterministic level per commune and profession, from a hash of both."""
    tirage = zlib.crc32(f"{code}-{profession}".encode()) % 100
    cumul = 0
    for niveau, part in niveaux:
        cumul += part
        if tirage < cumul:
            return niveau
    return None


REPARTITION = {
    "medecin-generaliste": [("zip", 35), ("zac", 30)],
    "infirmier": [("tres-sous-dotee", 20), ("sous-dotee", 25), ("intermediaire", 40)],
    "masseur-kinesitherapeute": [("tres-sous-dotee", 25), ("sous-dotee", 25)],
    "chirurgien-dentiste": [("tres-sous-dotee", 30), ("sous-dotee", 20)],
    "sage-femme": [("tres-sous-dotee", 20), ("sous-dotee", 30)],
}


def charger(ecrire=print) -> None:
    resultat = catalogue_charger()
    if resultat.get("deja_charge"):
        ecrire("Catalogue des aides déjà à jour.")
    else:
        ecrire(f"Catalogue des aides chargé : {resultat['aides']} aides.")
    empreinte = hashlib.sha256(repr((DEPARTEMENTS_DEMO, REPARTITION)).encode()).hexdigest()
    if JeuDeDonnees.objects.est_charge(JEU, empreinte):
        return
    with transaction.atomic():
        Zonage.objects.filter(fictif=True).delete()
        lignes = []
        for code in Commune.objects.filter(departement__in=DEPARTEMENTS_DEMO).values_list(
            "code", flat=True
        ):
            for profession, niveaux in REPARTITION.items():
                niveau = _niveau(code, profession, niveaux)
                if niveau:
                    lignes.append(
                        Zonage(
                            commune_id=code,
                            profession=profession,
                            niveau=niveau,
                            date_arrete="2025-01-01",
                            source=SOURCE_DEMO,
                            fictif=True,
                        )
                    )
        Zonage.objects.bulk_create(lignes, ignore_conflicts=True)
        JeuDeDonnees.objects.marquer_charge(JEU, empreinte)
    ecrire(
        f"Zonage fictif de démonstration : {len(lignes)} lignes ({', '.join(DEPARTEMENTS_DEMO)})."
    )
