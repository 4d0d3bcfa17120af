from django.conf import settings
from django.core.management.base import BaseCommand

from guichet.taches import tache_planifiee
from rendezvous.services import purger_rendezvous


class Command(BaseCommand):
    help = (
        "Anonymise les rendez-vous terminés depuis plus de N mois (par défaut la durée de "
        "conservation RGPD_RENDEZVOUS_MOIS) : nom, coordonnées et message effacés, nombres "
        "conservés pour les statistiques. La purge nocturne (purger_donnees) le fait déjà ; "
        "cette commande sert à la main."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mois", type=int, default=None, help="Durée de conservation (mois).")

    @tache_planifiee("purger_rendezvous")
    def handle(self, *args, mois, **options):
        mois = mois or settings.RGPD_CONSERVATION["rendezvous_mois"]
        nombre = purger_rendezvous(mois=mois)
        self.stdout.write(f"{nombre} rendez-vous anonymisé{'s' if nombre > 1 else ''}.")
