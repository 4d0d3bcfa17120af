from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demographie import adaptateurs
from demographie.importation import ErreurImport


class Command(BaseCommand):
    help = (
        "Importe l'extraction RPPS « personne-activite » (séparateur « | », une ligne par "
        "activité) : professionnels distincts par commune, profession, sexe et mode d'exercice. "
        "Tout-ou-rien ; remplace l'année pour les communes présentes."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--annee", type=int, required=True, help="Année de l'extraction.")
        parser.add_argument("--source", default="")

    def handle(self, *args, fichier: Path, annee: int, source: str, **options):
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            r = adaptateurs.importer_rpps(
                fichier,
                annee=annee,
                progression=self.stdout.write,
                libelle_source=source or f"RPPS, extraction personne-activité ({annee})",
            )
        except ErreurImport as erreur:
            raise CommandError(f"Fichier refusé, rien n'a été modifié :\n{erreur}") from erreur
        self.stdout.write(
            self.style.SUCCESS(
                f"{r['lignes']} activités lues : {r['effectifs']} effectifs pour {r['communes']} "
                f"communes ; {r['remplacees']} lignes anciennes remplacées."
            )
        )
