import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import pages


class Command(BaseCommand):
    help = (
        "Banc d'essai : adresses de la série de pages et nombre de requêtes SQL de chacune "
        "(deuxième affichage, processus chaud), en JSON sur la sortie standard."
    )

    def handle(self, *args, **options):
        client = Client()
        resultat = {}
        for nom, chemin in pages.mix().items():
            mesures = []
            for _ in range(2):
                with CaptureQueriesContext(connection) as requetes:
                    reponse = client.get(chemin, secure=True)
                mesures.append(len(requetes))
            resultat[nom] = {
                "chemin": chemin,
                "statut": reponse.status_code,
                "octets": len(reponse.content),
                "requetes_premier": mesures[0],
                "requetes": mesures[1],
            }
        self.stdout.write(json.dumps(resultat, ensure_ascii=False))
