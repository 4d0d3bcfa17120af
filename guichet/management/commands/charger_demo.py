from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet.demo import COMPTES, MOT_DE_PASSE_DEMO

# In this order: accounts, aids (organisations), installation, meetings, demography.
MODULES_DEMO = [
    "guichet.demo",
    "aides.demo",
    "installation.demo",
    "rendezvous.demo",
    "demographie.demo",
    "espace.demo",
    "opportunites.demo",
]


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration (comptes, puis le module demo de chaque rubrique "
        "du portail). Idempotent. Refusé hors DEBUG sauf --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autoriser hors DEBUG.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Le contenu de démonstration ne se charge qu'en développement (DEBUG=true)."
            )
        for module_name in MODULES_DEMO:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.charger(ecrire=self.stdout.write)
        admin = COMPTES[0]["email"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Compte d'administration de démonstration : {admin} / {MOT_DE_PASSE_DEMO}"
            )
        )
        self.stdout.write(f"Comptes de démonstration (mot de passe {MOT_DE_PASSE_DEMO}) :")
        for compte in COMPTES:
            territoire = ", ".join(compte.get("regions", []) + compte.get("departements", []))
            self.stdout.write(
                f"  {compte['email']} — {compte['groupe']}"
                + (f" ({territoire})" if territoire else " (national)")
            )
        self.stdout.write(
            "Double authentification obligatoire pour les comptes de gestion : à la première "
            "connexion, le portail demande de scanner un code QR avec une application "
            "d'authentification (FreeOTP, Aegis, Google Authenticator…) puis affiche les "
            "codes de secours."
        )
