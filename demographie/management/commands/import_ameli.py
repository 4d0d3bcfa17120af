from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demographie import adaptateurs
from demographie.importation import ErreurImport


class Command(BaseCommand):
    help = (
        "Importe l'export « demographie-effectifs-et-les-densites » de data.ameli (CSV « ; ») : "
        "professionnels libéraux par département, tranche d'âge et sexe. Tout-ou-rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--source", default="Assurance Maladie, data.ameli")

    def handle(self, *args, fichier: Path, source: str, **options):
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            r = adaptateurs.importer_ameli(
                fichier, libelle_source=source, progression=self.stdout.write
            )
        except ErreurImport as erreur:
            raise CommandError(f"Fichier refusé, rien n'a été modifié :\n{erreur}") from erreur
        if r["professions_ignorees"]:
            self.stdout.write("Professions ignorées : " + ", ".join(r["professions_ignorees"]))
        self.stdout.write(
            self.style.SUCCESS(
                f"{r['lignes']} lignes lues : {r['effectifs']} effectifs ; "
                f"{r['remplacees']} lignes anciennes remplacées."
            )
        )
