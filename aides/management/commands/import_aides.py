from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aides import services


class Command(BaseCommand):
    help = (
        "Charge le catalogue des aides et des organisations (YAML, par défaut "
        "fixtures/aides.yaml). Idempotent, tout-ou-rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", nargs="?", type=Path, default=services.CATALOGUE)
        parser.add_argument("--force", action="store_true", help="Recharger même si inchangé.")

    def handle(self, *args, fichier, force=False, **options):
        try:
            resultat = services.catalogue_charger(fichier=fichier, force=force)
        except services.ErreurImport as erreur:
            raise CommandError(f"Catalogue refusé, rien n'a été modifié :\n{erreur}") from erreur
        if resultat.get("deja_charge"):
            self.stdout.write("Catalogue des aides déjà à jour : rien à faire.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Catalogue chargé : {aides} aides, {organisations} organisations.".format(
                    **resultat
                )
            )
        )
