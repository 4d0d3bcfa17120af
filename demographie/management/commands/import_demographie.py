from pathlib import Path

from demographie import importation
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Importe un fichier CSV canonique d'effectifs (UTF-8, « ; », en-tête "
        "annee;niveau;code_territoire;profession;tranche_age;sexe;mode_exercice;effectif). "
        "Tout-ou-rien ; réimporter une année remplace cette année pour ces territoires."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument(
            "--source",
            default="",
            help="Libellé de la source affiché avec les chiffres (défaut : nom du fichier).",
        )

    def importer(self, *, fichier: Path, source: str, **options):
        return importation.importer_canonique(
            fichier,
            libelle_source=source or f"Import « {fichier.name} »",
            nom_fichier=fichier.name,
            progression=self.stdout.write,
        )

    def resume(self, resultat):
        annees = ", ".join(str(a) for a in resultat["annees"])
        return (
            f"{resultat['lignes']} lignes importées ({resultat['masquees']} cellules "
            f"masquées), années {annees}, {resultat['territoires']} territoires ; "
            f"{resultat['remplacees']} lignes anciennes remplacées."
        )
