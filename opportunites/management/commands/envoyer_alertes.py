from django.core.management.base import BaseCommand

from guichet.taches import tache_planifiee
from opportunites.alertes import envoyer_alertes


class Command(BaseCommand):
    help = (
        "Envoie à chaque personne un seul courriel réunissant les nouveautés de ses alertes "
        "dues (quotidiennes ou hebdomadaires). Chaque envoi est enregistré avant d'être expédié : "
        "jamais deux le même jour, et un envoi interrompu part au passage suivant. Au plus "
        "OPPORTUNITE_ALERTES_PAR_PASSAGE courriels par passage : à lancer chaque heure."
    )

    @tache_planifiee("envoyer_alertes")
    def handle(self, *args, **options):
        bilan = envoyer_alertes()
        self.stdout.write(
            f"{bilan['prepares']} courriel(s) d'alertes préparé(s), {bilan['envoyes']} envoyé(s)."
        )
