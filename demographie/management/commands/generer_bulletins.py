from django.core.management.base import BaseCommand

from demographie import editions, services
from demographie.models import Bulletin
from guichet.taches import tache_planifiee


class Command(BaseCommand):
    help = (
        "Génère et publie les bulletins d'une année : France, chaque région et chaque "
        "département qui ont des données. Une édition déjà publiée n'est jamais modifiée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, required=True)
        parser.add_argument(
            "--niveau",
            choices=["france", "region", "departement"],
            action="append",
            help="Limiter à ces niveaux (option répétable).",
        )

    @tache_planifiee("generer_bulletins")
    def handle(self, *args, annee, niveau=None, **options):
        territoires = editions.territoires_de_l_annee(annee, niveau)
        publies = ignores = 0
        for i, t in enumerate(territoires, start=1):
            bulletin = services.bulletin_pour(territoire=t, annee=annee)
            if bulletin.statut == Bulletin.Statut.PUBLIE:
                ignores += 1
                continue
            try:
                services.bulletin_publier(bulletin=bulletin)
            except services.PasDeDonnees:
                ignores += 1
                continue
            publies += 1
            self.stdout.write(f"[{i}/{len(territoires)}] {t.nom} : publié")
        self.stdout.write(
            self.style.SUCCESS(
                f"Bulletins {annee} : {publies} publiés, {ignores} déjà publiés ou sans données."
            )
        )
