from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demographie import importation


class Command(BaseCommand):
    help = (
        "Réécrit fixtures/demographie/pacte-territoire-sante.csv depuis les deux fichiers "
        "pacte-territoire-sante-*.csv du dossier donné (par exemple ../shared/data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier", type=Path)

    def handle(self, *args, dossier: Path, **options):
        if not (dossier / "pacte-territoire-sante-2016-regions.csv").is_file():
            raise CommandError(f"pacte-territoire-sante-2016-regions.csv absent de {dossier}")
        n = importation.deriver_dispositifs(dossier)
        self.stdout.write(self.style.SUCCESS(f"{n} indicateurs écrits."))
