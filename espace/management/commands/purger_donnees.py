from django.core.management.base import BaseCommand

from espace import rgpd, services
from guichet.taches import tache_planifiee


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation (RGPD_CONSERVATION) : avertit puis supprime les "
        "comptes inactifs, anonymise les anciennes questions, les rendez-vous et les "
        "accompagnements clos, supprime les entrées anciennes du journal d'audit. Idempotent ; "
        "une seule exécution à la fois sur toutes les instances (verrou PostgreSQL). Lancée "
        "chaque nuit par le planificateur."
    )

    @tache_planifiee("purger_donnees")
    def handle(self, *args, **options):
        bilan = rgpd.purger(envoyer_avertissement=services.avertir_inactivite)
        self.stdout.write(self.style.SUCCESS(f"Purge terminée : {bilan}."))
