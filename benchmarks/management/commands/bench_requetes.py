import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import pages


def compter(client, chemin) -> dict:
    """Status, size and SQL queries of the first and the second display (warm process)."""
    mesures = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(chemin, secure=True)
            octets = len(reponse.getvalue())  # read to the end: a file or a ZIP is streamed
        mesures.append(len(requetes))
    return {
        "chemin": chemin,
        "statut": reponse.status_code,
        "octets": octets,
        "requetes_premier": mesures[0],
        "requetes": mesures[1],
    }


class Command(BaseCommand):
    help = (
        "Banc d'essai : classe chaque motif d'URL (GET anonyme), compte les requêtes SQL de "
        "chaque page publique et de chaque page connectée (deuxième affichage, processus chaud) "
        "et ouvre les sessions des pages connectées ; JSON sur la sortie standard."
    )

    def handle(self, *args, **options):
        if not connection.settings_dict["NAME"].startswith("guichet_bench"):
            raise CommandError("Cette commande ouvre des sessions : base guichet_bench* seulement.")
        pages.preparer_annonce_document()
        classes = pages.classer(Client())
        anonyme = Client()
        publiques = {cle: compter(anonyme, p["chemin"]) for cle, p in classes["mesurees"].items()}
        utilisateurs = pages.preparer_sessions()
        clients, cookies = {}, {}
        for role in ("agent", "usager"):
            clients[role] = Client()
            clients[role].force_login(utilisateurs[role])
            cookies[role] = clients[role].cookies[settings.SESSION_COOKIE_NAME].value
        signees = {}
        for nom, page in pages.signees(utilisateurs).items():
            signees[nom] = {
                **compter(clients[page["session"]], page["chemin"]),
                "session": page["session"],
            }
        resultat = {
            "classes": classes,
            "publiques": publiques,
            "signees": signees,
            "cookies": {role: f"{settings.SESSION_COOKIE_NAME}={v}" for role, v in cookies.items()},
        }
        self.stdout.write(json.dumps(resultat, ensure_ascii=False, default=str))
