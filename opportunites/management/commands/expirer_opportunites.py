from django.core.management.base import BaseCommand

from guichet.taches import tache_planifiee
from opportunites.services import expirer_opportunites, purger_opportunites, rappeler_echeances


class Command(BaseCommand):
    help = (
        "Chaque nuit : prévient une fois l'auteur d'une annonce qui arrive à échéance dans "
        "OPPORTUNITE_RAPPEL_JOURS jours, passe en « expirée » chaque annonce dont la période "
        "de publication (OPPORTUNITE_DUREE_JOURS) est finie, supprime les annonces closes depuis "
        "OPPORTUNITE_CONSERVATION_JOURS jours. Idempotent."
    )

    @tache_planifiee("expirer_opportunites")
    def handle(self, *args, **options):
        rappels = rappeler_echeances()
        n = expirer_opportunites()
        purgees = purger_opportunites()
        self.stdout.write(
            f"{rappels} rappel(s) d'échéance, {n} annonce(s) expirée(s), "
            f"{purgees} annonce(s) close(s) supprimée(s)."
        )
