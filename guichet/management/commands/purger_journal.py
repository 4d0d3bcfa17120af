import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Supprime les entrées du journal des modifications plus anciennes que "
        "AUDITLOG_CONSERVATION_JOURS (365 jours par défaut). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jours", type=int, default=None, help="Durée de conservation.")

    def handle(self, *args, jours=None, **options):
        jours = jours if jours is not None else settings.AUDITLOG_CONSERVATION_JOURS
        limite = timezone.now() - datetime.timedelta(days=jours)
        supprimees, _ = LogEntry.objects.filter(timestamp__lt=limite).delete()
        self.stdout.write(
            f"{supprimees} entrées du journal supprimées (antérieures au {limite:%d/%m/%Y})."
        )
