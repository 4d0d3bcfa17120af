import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Supprime les entrées du journal des modifications plus anciennes que "
        "RGPD_JOURNAL_MOIS (la durée affichée sur la page Données personnelles et appliquée "
        "aussi par purger_donnees). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jours", type=int, default=None, help="Durée de conservation.")

    def handle(self, *args, jours=None, **options):
        if jours is None:
            limite = timezone.now() - datetime.timedelta(
                days=30 * settings.RGPD_CONSERVATION["journal_mois"]
            )
        else:
            limite = timezone.now() - datetime.timedelta(days=jours)
        supprimees, _ = LogEntry.objects.filter(timestamp__lt=limite).delete()
        self.stdout.write(
            f"{supprimees} entrées du journal supprimées (antérieures au {limite:%d/%m/%Y})."
        )
