from django.core.management.base import BaseCommand, CommandError

from demographie import importation


class Command(BaseCommand):
    help = (
        "Charge les indicateurs du Pacte territoire santé (bilan fin 2016) depuis "
        "fixtures/demographie/pacte-territoire-sante.csv. Idempotent et tout-ou-rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        try:
            resultat = importation.charger_dispositifs(force=force)
        except importation.ErreurImport as erreur:
            raise CommandError(f"Fichier refusé, rien n'a été modifié :\n{erreur}") from erreur
        if resultat.get("deja_charge"):
            self.stdout.write("Indicateurs des dispositifs déjà à jour : rien à faire.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"{resultat['indicateurs']} indicateurs des dispositifs chargés.")
        )
