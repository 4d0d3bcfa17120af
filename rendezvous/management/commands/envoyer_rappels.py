from django.core.management.base import BaseCommand

from rendezvous.services import envoyer_rappels


class Command(BaseCommand):
    help = (
        "Envoie le rappel de la veille pour les rendez-vous des prochaines 24 heures. Chaque "
        "rendez-vous n'est rappelé qu'une fois, jamais s'il est annulé : à lancer toutes les "
        "15 minutes (cron)."
    )

    def handle(self, *args, **options):
        envoyes = envoyer_rappels()
        self.stdout.write(
            f"{envoyes} rappel{'s' if envoyes > 1 else ''} envoyé{'s' if envoyes > 1 else ''}."
        )
