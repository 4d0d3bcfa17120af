from pathlib import Path

from guichet.commandes import CommandeImport
from installation import services


class Command(CommandeImport):
    help = (
        "Charge les parcours d'installation, leurs étapes et les organisations qui les font "
        "(YAML, par défaut fixtures/parcours.yaml). Le catalogue des aides doit être chargé "
        "avant (import_aides). Idempotent, tout-ou-rien."
    )
    refus = "Parcours refusés"
    deja_a_jour = "Parcours déjà à jour : rien à faire."

    def add_arguments(self, parser):
        parser.add_argument("fichier", nargs="?", type=Path, default=services.FICHIER_PARCOURS)
        parser.add_argument("--force", action="store_true", help="Recharger même si inchangé.")

    def importer(self, *, fichier, force=False, **options):
        return services.parcours_charger(fichier=fichier, force=force)

    def resume(self, resultat):
        return "Parcours chargés : {parcours} parcours, {etapes} étapes.".format(**resultat)
