from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from installation import services


class Command(BaseCommand):
    help = (
        "Charge les parcours d'installation, leurs étapes et les organisations qui les font "
        "(YAML, par défaut fixtures/parcours.yaml). Le catalogue des aides doit être chargé "
        "avant (import_aides). Idempotent, tout-ou-rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", nargs="?", type=Path, default=services.FICHIER_PARCOURS)
        parser.add_argument("--force", action="store_true", help="Recharger même si inchangé.")

    def handle(self, *args, fichier, force=False, **options):
        try:
            resultat = services.parcours_charger(fichier=fichier, force=force)
        except services.ErreurImport as erreur:
            raise CommandError(f"Parcours refusés, rien n'a été modifié :\n{erreur}") from erreur
        if resultat.get("deja_charge"):
            self.stdout.write("Parcours déjà à jour : rien à faire.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Parcours chargés : {parcours} parcours, {etapes} étapes.".format(**resultat)
            )
        )
