from demographie import importation
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Charge les indicateurs du Pacte territoire santé (bilan fin 2016) depuis "
        "fixtures/demographie/pacte-territoire-sante.csv. Idempotent et tout-ou-rien."
    )
    deja_a_jour = "Indicateurs des dispositifs déjà à jour : rien à faire."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def importer(self, *, force=False, **options):
        return importation.charger_dispositifs(force=force)

    def resume(self, resultat):
        return f"{resultat['indicateurs']} indicateurs des dispositifs chargés."
