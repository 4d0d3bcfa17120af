import logging
import signal

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from guichet.planification import TACHES

logger = logging.getLogger("guichet.taches")


def lancer(commande: str, arguments: list[str]) -> None:
    """Run one command; its failure is logged and the scheduler keeps going."""
    close_old_connections()
    try:
        call_command(commande, *arguments)
    except Exception:
        logger.exception("Tâche planifiée %s en échec.", commande)
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = (
        "Planificateur (APScheduler) des tâches périodiques : rappels des rendez-vous toutes les "
        "15 minutes, purges chaque nuit, éditions des bulletins chaque heure. Reste au premier "
        "plan ; arrêt propre sur SIGTERM. --lister affiche le calendrier sans rien lancer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lister", action="store_true", help="Afficher les tâches et sortir.")

    def handle(self, *args, lister=False, **options):
        if lister:
            for commande, arguments, quand in TACHES:
                champs = " ".join(f"{k}={v}" for k, v in quand.items())
                self.stdout.write(" ".join([commande, *arguments, ":", champs]))
            return
        planificateur = BlockingScheduler(
            timezone=settings.TIME_ZONE,
            executors={"default": ThreadPoolExecutor(2)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
        )
        for commande, arguments, quand in TACHES:
            planificateur.add_job(
                lancer,
                CronTrigger(timezone=settings.TIME_ZONE, **quand),
                args=[commande, arguments],
                id=commande,
                name=commande,
            )
        # Every job is idempotent and locked: an interrupted one simply runs again next time.
        signal.signal(signal.SIGTERM, lambda *_: planificateur.shutdown(wait=False))
        logger.info("Planificateur démarré : %s.", ", ".join(c for c, _, _ in TACHES))
        planificateur.start()
