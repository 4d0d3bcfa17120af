from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demographie import importation


class Command(BaseCommand):
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

    def handle(self, *args, fichier: Path, source: str, **options):
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            resultat = importation.importer_canonique(
                fichier,
                libelle_source=source or f"Import « {fichier.name} »",
                nom_fichier=fichier.name,
                progression=self.stdout.write,
            )
        except importation.ErreurImport as erreur:
            raise CommandError(f"Fichier refusé, rien n'a été modifié :\n{erreur}") from erreur
        annees = ", ".join(str(a) for a in resultat["annees"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{resultat['lignes']} lignes importées ({resultat['masquees']} cellules "
                f"masquées), années {annees}, {resultat['territoires']} territoires ; "
                f"{resultat['remplacees']} lignes anciennes remplacées."
            )
        )
