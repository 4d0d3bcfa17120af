from guichet import territoires
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Charge les 18 régions dotées d'une ARS, leurs 101 départements et leurs communes "
        "depuis fixtures/territoires/. Idempotent et tout-ou-rien."
    )
    deja_a_jour = "Territoires déjà à jour : rien à faire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Recharger même si cette version est déjà chargée."
        )

    def importer(self, *, force=False, **options):
        return territoires.importer(force=force, progression=self.stdout.write)

    def resume(self, resultat):
        return (
            "Territoires chargés : {regions} régions, {departements} départements, "
            "{communes} communes.".format(**resultat)
        )
