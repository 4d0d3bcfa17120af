import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demographie import adaptateurs, rapport, services, territoires
from demographie.models import Effectif
from guichet.models import Commune

ENTETE = [
    "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP", "Code civilité",
    "Code profession", "Code savoir-faire", "Code mode exercice",
    "Code commune (coord. structure)", "Libellé commune (coord. structure)",
]  # fmt: skip
PROFESSIONS = ["10", "10", "60", "60", "60", "70", "21", "40", "50", "91"]


class _Annulation(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Banc d'essai (pas un test) : durée de l'import de N lignes de type RPPS (défaut "
        "2 millions, annulé ensuite) et du rendu d'un bulletin régional et national."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lignes", type=int, default=2_000_000)
        parser.add_argument("--region", default="02")

    def handle(self, *args, lignes, region, **options):
        communes = list(Commune.objects.values_list("code", flat=True))
        annee = Effectif.objects.order_by("-annee").values_list("annee", flat=True).first()
        if not communes or annee is None:
            raise CommandError("Chargez d'abord les territoires et la démonstration (make run).")
        rng = random.Random(42)
        with tempfile.TemporaryDirectory() as dossier:
            chemin = Path(dossier) / "rpps.txt"
            debut = time.perf_counter()
            with open(chemin, "w", encoding="utf-8") as f:
                f.write("|".join(ENTETE) + "|\n")
                for i in range(lignes):
                    pp = 810_000_000 + i // 2  # about two activities per professional
                    f.write(
                        f"8|{pp}|{pp}|{rng.choice(('M', 'MME'))}|{rng.choice(PROFESSIONS)}|"
                        f"{rng.choice(('SM54', 'SM02', ''))}|{rng.choice(('L', 'S', 'L'))}|"
                        f"{rng.choice(communes)}|Commune|\n"
                    )
            taille = chemin.stat().st_size / 1e6
            self.stdout.write(f"Fichier de {lignes} lignes ({taille:.0f} Mo) écrit en "
                              f"{time.perf_counter() - debut:.1f} s")  # fmt: skip
            debut = time.perf_counter()
            try:
                with transaction.atomic():
                    r = adaptateurs.importer_rpps(chemin, annee=1999, libelle_source="Banc")
                    duree = time.perf_counter() - debut
                    raise _Annulation
            except _Annulation:
                pass
        self.stdout.write(
            f"Import RPPS : {lignes} lignes → {r['effectifs']} effectifs, {r['communes']} "
            f"communes, en {duree:.1f} s (annulé ensuite)"
        )
        for t in (territoires.trouver("region", region), territoires.france()):
            debut = time.perf_counter()
            r = rapport.construire(t, annee=annee, toutes_sections=True)
            calcul = time.perf_counter() - debut
            contenu = services.pdf.rendre_pdf(r)
            total = time.perf_counter() - debut
            self.stdout.write(
                f"Bulletin {annee} {t.nom} : {total:.1f} s (indicateurs {calcul:.2f} s), "
                f"{len(contenu) // 1024} Ko"
            )
