import datetime
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from guichet.models import Departement, User
from rendezvous.creneaux import creneaux_libres
from rendezvous.models import (
    Lieu,
    MotifRendezVous,
    PlageOuverture,
    Referent,
    RendezVous,
)


class Annulation(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Mesure la recherche de créneaux (benchmark, pas un test) : N référents d'un département, "
        "plages sur 5 jours, agenda à moitié rempli, fenêtre de 90 jours. Rien n'est conservé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--referents", type=int, default=20)
        parser.add_argument("--departement", default="79")
        parser.add_argument("--repetitions", type=int, default=5)

    def handle(self, *args, referents, departement, repetitions, **options):
        try:
            with transaction.atomic():
                self._mesurer(referents, departement, repetitions)
                raise Annulation
        except Annulation:
            pass

    def _mesurer(self, nombre, code, repetitions):
        dep = Departement.objects.select_related("region").get(code=code)
        motif = MotifRendezVous.objects.create(
            nom="Bench", slug="bench-creneaux", duree_minutes=30, tampon_minutes=10,
            delai_minimum_heures=0, fenetre_jours=90,
        )  # fmt: skip
        lieu = Lieu.objects.create(nom="Bench", departement=dep)
        aujourd_hui = timezone.localdate()
        rdvs = []
        for n in range(nombre):
            user = User.objects.create(email=f"bench{n}@bench.invalid", is_staff=True)
            referent = Referent.objects.create(utilisateur=user)
            referent.departements.add(dep)
            plage = PlageOuverture.objects.create(
                referent=referent, jours=[0, 1, 2, 3, 4], heure_debut=datetime.time(8),
                heure_fin=datetime.time(18), date_debut=aujourd_hui, lieu=lieu,
            )  # fmt: skip
            plage.motifs.add(motif)
            for jour in range(1, 90, 2):  # every other day, four meetings
                base = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
                for h in (0, 2, 4, 6):
                    debut = base + datetime.timedelta(days=jour, hours=h)
                    rdvs.append(RendezVous(
                        referent=referent, motif=motif, lieu=lieu, debut=debut,
                        fin=debut + datetime.timedelta(minutes=30),
                        fin_bloquee=debut + datetime.timedelta(minutes=40),
                        nom="Bench", courriel=f"b{n}-{jour}-{h}@bench.invalid",
                    ))  # fmt: skip
        RendezVous.objects.bulk_create(rdvs)
        durees = []
        for _ in range(repetitions):
            t = time.perf_counter()
            creneaux = creneaux_libres(departement=dep, motif=motif)
            durees.append(time.perf_counter() - t)
        semaine = time.perf_counter()
        creneaux_libres(departement=dep, motif=motif, du=aujourd_hui,
                        au=aujourd_hui + datetime.timedelta(days=6))  # fmt: skip
        semaine = time.perf_counter() - semaine
        self.stdout.write(
            f"{nombre} référents, {len(rdvs)} rendez-vous existants, fenêtre de 90 jours : "
            f"{len(creneaux)} créneaux libres en {min(durees) * 1000:.0f} ms (meilleur de "
            f"{repetitions}), {max(durees) * 1000:.0f} ms au pire ; une semaine : "
            f"{semaine * 1000:.0f} ms."
        )
