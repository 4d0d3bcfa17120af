from django.core.management import call_command
from django.core.management.base import BaseCommand

from guichet.models import Region


class Command(BaseCommand):
    help = (
        "Étape de mise en production, à lancer une fois à chaque version avant les serveurs : "
        "migrations (dont la table du cache), puis territoires s'il n'y en a pas encore. "
        "Idempotente ; code de sortie non nul en cas d'échec."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        # The DB cache table is created by migration guichet 0004; createcachetable is a no-op
        # then, but keeps a renamed cache table (settings.CACHES) working too.
        call_command("createcachetable", verbosity=options["verbosity"])
        if not Region.objects.exists():
            call_command("import_territoires", verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("Déploiement : base à jour."))
