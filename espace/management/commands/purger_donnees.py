from django.core.management.base import BaseCommand

from espace import rgpd, services


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation (RGPD_CONSERVATION) : avertit puis supprime les "
        "comptes inactifs, anonymise les anciennes questions, les rendez-vous et les "
        "accompagnements clos, supprime les entrées anciennes du journal d'audit. Idempotent ; "
        "une seule exécution à la fois sur toutes les instances (verrou PostgreSQL) : à lancer "
        "chaque nuit depuis cron sur n'importe quelle instance."
    )

    def handle(self, *args, **options):
        if not rgpd.verrou_purge():
            self.stdout.write("Une purge est déjà en cours sur une autre instance : rien à faire.")
            return
        try:
            bilan = rgpd.purger(envoyer_avertissement=services.avertir_inactivite)
        finally:
            rgpd.liberer_verrou_purge()
        self.stdout.write(self.style.SUCCESS(f"Purge terminée : {bilan}."))
