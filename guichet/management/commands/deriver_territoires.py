from pathlib import Path

from django.core.management.base import BaseCommand

from guichet import territoires


class Command(BaseCommand):
    help = (
        "Dérive les fichiers compacts de fixtures/territoires/ depuis les fichiers JSON "
        "d'Etalab (@etalab/decoupage-administratif, dossier data/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="Dossier contenant regions.json, etc.")

    def handle(self, *args, source, **options):
        nombres = territoires.deriver(source)
        self.stdout.write(
            self.style.SUCCESS(
                "Fichiers écrits : {regions} régions, {departements} départements, "
                "{communes} communes.".format(**nombres)
            )
        )
