from django.core.management.base import BaseCommand

from guichet.taches import tache_planifiee
from opportunites.services import expirer_opportunites


class Command(BaseCommand):
    help = (
        "Passe en « expirée » chaque annonce publiée dont la période de publication "
        "(OPPORTUNITE_DUREE_JOURS) est finie. Idempotent : à lancer chaque nuit."
    )

    @tache_planifiee("expirer_opportunites")
    def handle(self, *args, **options):
        n = expirer_opportunites()
        self.stdout.write(f"{n} annonce{'s' if n > 1 else ''} expirée{'s' if n > 1 else ''}.")
