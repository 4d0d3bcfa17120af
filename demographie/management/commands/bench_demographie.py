import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demographie import adaptateurs, rapport, services, territoires
from demographie.models import Effectif
from guichet.models import Commune
from guichet.pdf import BASE_URL, fetcher

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
        "2 millions, annulé ensuite, synthèse comprise) et du rendu d'un bulletin régional, "
        "départemental et national, détaillé par étape."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lignes", type=int, default=2_000_000)
        parser.add_argument("--region", default="02")
        parser.add_argument("--departement", default="23")

    def handle(self, *args, lignes, region, departement, **options):
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
            self.stdout.write(
                f"Fichier de {lignes} lignes ({taille:.0f} Mo) écrit en "
                f"{time.perf_counter() - debut:.1f} s"
            )
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
        cibles = [territoires.trouver("region", region)]
        cibles += [territoires.trouver("departement", departement), territoires.france()]
        for t in cibles:
            self._bulletin(t, annee)

    def _bulletin(self, t, annee):
        """One bulletin's render time, split into its steps (indicators read the summary)."""
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        debut = time.perf_counter()
        r = rapport.construire(t, annee=annee, toutes_sections=True)
        calcul = time.perf_counter() - debut
        html = services.pdf.rendre_html(r)
        gabarit = time.perf_counter() - debut - calcul
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher()).render(
            font_config=FontConfiguration(), pdf_variant="pdf/ua-1"
        )
        mise_en_page = time.perf_counter() - debut - calcul - gabarit
        contenu = document.write_pdf(pdf_variant="pdf/ua-1", optimize_images=True)
        total = time.perf_counter() - debut
        self.stdout.write(
            f"Bulletin {annee} {t.nom} : {total:.1f} s (indicateurs {calcul:.2f} s), gabarit "
            f"{gabarit:.2f} s, mise en page {mise_en_page:.2f} s, écriture du PDF "
            f"{total - calcul - gabarit - mise_en_page:.2f} s, {len(document.pages)} pages, "
            f"{len(contenu) // 1024} Ko"
        )
