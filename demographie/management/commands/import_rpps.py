from pathlib import Path

from demographie import adaptateurs
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Importe l'extraction RPPS « personne-activite » (séparateur « | », une ligne par "
        "activité) : professionnels distincts par commune, profession, sexe et mode d'exercice. "
        "Tout-ou-rien ; remplace l'année pour les communes présentes."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--annee", type=int, required=True, help="Année de l'extraction.")
        parser.add_argument("--source", default="")

    def importer(self, *, fichier: Path, annee: int, source: str, **options):
        return adaptateurs.importer_rpps(
            fichier,
            annee=annee,
            progression=self.stdout.write,
            libelle_source=source or f"RPPS, extraction personne-activité ({annee})",
        )

    def resume(self, r):
        return (
            f"{r['lignes']} activités lues : {r['effectifs']} effectifs pour {r['communes']} "
            f"communes ; {r['remplacees']} lignes anciennes remplacées."
        )
