from django.core.management.base import BaseCommand

from rendezvous.services import purger_rendezvous


class Command(BaseCommand):
    help = (
        "Anonymise les rendez-vous terminés depuis plus de N mois (12 par défaut) : nom, "
        "coordonnées et message effacés, nombres conservés pour les statistiques (RGPD)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mois", type=int, default=12, help="Durée de conservation (mois).")

    def handle(self, *args, mois, **options):
        nombre = purger_rendezvous(mois=mois)
        self.stdout.write(f"{nombre} rendez-vous anonymisé{'s' if nombre > 1 else ''}.")
