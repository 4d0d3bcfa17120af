from django.core.management.base import BaseCommand

from guichet import imports_en_attente
from guichet.taches import tache_planifiee


class Command(BaseCommand):
    help = (
        "Supprime les fichiers d'import déposés dans l'administration et jamais confirmés "
        "(plus de deux heures) : enregistrements et fichiers du stockage. À planifier chaque nuit."
    )

    @tache_planifiee("purger_imports")
    def handle(self, *args, **options):
        nombre = imports_en_attente.purger()
        self.stdout.write(f"{nombre} import{'s' if nombre > 1 else ''} en attente supprimé(s).")
