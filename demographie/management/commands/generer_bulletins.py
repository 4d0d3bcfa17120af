from django.core.management.base import BaseCommand

from demographie import services
from demographie.models import Bulletin, Effectif
from demographie.territoires import de_departement, de_region, france
from guichet.models import Departement, Region


class Command(BaseCommand):
    help = (
        "Génère et publie les bulletins d'une année : France, chaque région et chaque "
        "département qui ont des données. Une édition déjà publiée n'est jamais modifiée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, required=True)
        parser.add_argument(
            "--niveau", choices=["france", "region", "departement"], action="append",
            help="Limiter à ces niveaux (option répétable).",
        )  # fmt: skip

    def handle(self, *args, annee, niveau=None, **options):
        niveaux = niveau or ["france", "region", "departement"]
        territoires = []
        if "france" in niveaux:
            territoires.append(france())
        presents = Effectif.objects.filter(annee=annee)
        if "region" in niveaux:
            codes = presents.values("region_id")
            territoires += [de_region(r) for r in Region.objects.filter(code__in=codes)]
        if "departement" in niveaux:
            codes = presents.exclude(departement=None).values("departement_id")
            deps = Departement.objects.filter(code__in=codes).select_related("region")
            territoires += [de_departement(d) for d in deps.order_by("code")]
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
