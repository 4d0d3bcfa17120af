from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demographie import importation


class Command(BaseCommand):
    help = (
        "Populations par territoire et année. Sans fichier : initialise l'année --annee depuis "
        "la population municipale des communes (sommes pour départements et régions). Avec un "
        "fichier annee;niveau;code_territoire;population : l'importe (tout-ou-rien)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, nargs="?")
        parser.add_argument("--annee", type=int, default=importation.ANNEE_POPULATION_COMMUNES)
        parser.add_argument("--source", default="INSEE, populations légales")

    def handle(self, *args, fichier, annee, source, **options):
        if fichier is None:
            n = importation.initialiser_populations(annee)
            self.stdout.write(self.style.SUCCESS(f"{n} populations {annee} initialisées."))
            return
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            n = importation.importer_populations(fichier, source=source)
        except importation.ErreurImport as erreur:
            raise CommandError(f"Fichier refusé, rien n'a été modifié :\n{erreur}") from erreur
        self.stdout.write(self.style.SUCCESS(f"{n} populations importées."))
