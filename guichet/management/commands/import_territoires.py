from django.core.management.base import BaseCommand, CommandError

from guichet import territoires


class Command(BaseCommand):
    help = (
        "Charge les 18 régions dotées d'une ARS, leurs 101 départements et leurs communes "
        "depuis fixtures/territoires/. Idempotent et tout-ou-rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Recharger même si cette version est déjà chargée."
        )

    def handle(self, *args, force=False, **options):
        try:
            resultat = territoires.importer(force=force, progression=self.stdout.write)
        except territoires.ErreurImport as erreur:
            raise CommandError(f"Fichier refusé, rien n'a été modifié :\n{erreur}") from erreur
        if resultat.get("deja_charge"):
            self.stdout.write("Territoires déjà à jour : rien à faire.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Territoires chargés : {regions} régions, {departements} départements, "
                "{communes} communes.".format(**resultat)
            )
        )
