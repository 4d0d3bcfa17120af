from pathlib import Path

from aides import services
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Charge le catalogue des aides et des organisations (YAML, par défaut "
        "fixtures/aides.yaml). Idempotent, tout-ou-rien."
    )
    refus = "Catalogue refusé"
    deja_a_jour = "Catalogue des aides déjà à jour : rien à faire."

    def add_arguments(self, parser):
        parser.add_argument("fichier", nargs="?", type=Path, default=services.CATALOGUE)
        parser.add_argument("--force", action="store_true", help="Recharger même si inchangé.")

    def importer(self, *, fichier, force=False, **options):
        return services.catalogue_charger(fichier=fichier, force=force)

    def resume(self, resultat):
        return "Catalogue chargé : {aides} aides, {organisations} organisations.".format(**resultat)
