"""National-scale dataset of `make bench`, added on top of the territories and the demo content.

Deterministic (seeded generators; meeting dates are relative to the day of the build) and
idempotent: a second run with the same scale does nothing. Only ever run on the benchmark's
own database (the orchestrator refuses any other).
"""

import datetime
import hashlib
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from aides.models import Aide, Financement, Zonage
from benchmarks import annonces
from demographie import demo as demo_demographie
from demographie import importation, synthese
from demographie.models import Effectif, Population, Source
from guichet.models import Commune, Departement, JeuDeDonnees, Region, User
from guichet.publication import StatutPublication
from rendezvous.models import (
    Lieu,
    MotifRendezVous,
    PlageOuverture,
    Referent,
    RendezVous,
)

VERSION = "bench-national-v1"
ECHELLES = {
    # aids, referents, meetings, years of headcounts, share of communes with headcounts
    "national": {
        "aides": 5000,
        "referents": 300,
        "rendezvous": 20_000,
        "annees": 10,
        "communes": 1,
    },
    "rapide": {"aides": 1000, "referents": 60, "rendezvous": 4000, "annees": 3, "communes": 0.1},
}
# Published posts and saved searches (issue 30): a step of its own, with its own marker, so a
# database built before it gets only this step.
ANNONCES = {
    "national": {"annonces": 10_000, "alertes": 2_000},
    "rapide": {"annonces": 2_000, "alertes": 400},
}
PROFESSIONS_ZONEES = [
    "medecin-generaliste", "infirmier", "masseur-kinesitherapeute", "sage-femme",
    "chirurgien-dentiste", "orthophoniste",
]  # fmt: skip
NIVEAUX_ZONAGE = [
    ("zip", 0.12),
    ("zac", 0.25),
    ("intermediaire", 0.33),
    ("tres-dotee", 0.2),
    ("sur-dotee", 0.1),
]


class Command(BaseCommand):
    help = (
        "Banc d'essai : ajoute le jeu de données national (5 000 aides, zonage de toutes les "
        "communes, 300 référents et 20 000 rendez-vous, effectifs sur 10 ans par département et "
        "par commune, 10 000 annonces publiées et 2 000 alertes). Déterministe et idempotent. "
        "À lancer sur la base du banc uniquement."
    )

    def add_arguments(self, parser):
        parser.add_argument("--echelle", choices=sorted(ECHELLES), default="national")

    def handle(self, *args, echelle, **options):
        if not connection.settings_dict["NAME"].startswith("guichet_bench"):
            raise CommandError("Ce jeu de données ne se charge que dans une base guichet_bench*.")
        if not Commune.objects.exists() or not Aide.objects.exists():
            raise CommandError("Chargez d'abord les territoires et la démonstration.")
        charge = False
        for nom, p, etapes in (
            (
                "bench",
                ECHELLES[echelle],
                (self._aides, self._zonage, self._rendezvous, self._demographie),
            ),
            ("bench-annonces", ANNONCES[echelle], (self._annonces,)),
        ):
            empreinte = hashlib.sha256(f"{VERSION}-{sorted(p.items())}".encode()).hexdigest()
            if JeuDeDonnees.objects.est_charge(nom, empreinte):
                continue
            for etape in etapes:
                debut = time.perf_counter()
                with transaction.atomic():
                    message = etape(p)
                self.stdout.write(f"{message} ({time.perf_counter() - debut:.1f} s)")
            JeuDeDonnees.objects.marquer_charge(nom, empreinte)
            charge = True
        if not charge:
            self.stdout.write(f"Jeu de données du banc ({echelle}) déjà chargé.")
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def _aides(self, p):
        rng = random.Random(f"{VERSION}-aides")
        modeles = list(Aide.objects.publiees().order_by("pk"))
        financements = {}
        for f in Financement.objects.order_by("ordre"):
            financements.setdefault(f.aide_id, []).append(f)
        regions = list(Region.objects.order_by("code").values_list("code", flat=True))
        deps = list(Departement.objects.order_by("code").values_list("code", "region_id"))
        communes = list(Commune.objects.order_by("code").values_list("code", "departement_id"))
        a_creer = p["aides"] - Aide.objects.count()
        nouvelles, territoires = [], []
        for i in range(max(0, a_creer)):
            modele = modeles[i % len(modeles)]
            aide = Aide(
                **{
                    f.attname: getattr(modele, f.attname)
                    for f in Aide._meta.concrete_fields
                    if f.attname not in {"id", "recherche", "cree_le", "modifie_le"}
                }
            )
            aide.slug = f"{modele.slug[:80]}-banc-{i}"
            aide.portee, cible = self._portee(rng, regions, deps, communes)
            aide.nom = f"{modele.nom[:170]} n° {i}"
            aide.statut_publication = (
                StatutPublication.PUBLIEE if rng.random() < 0.9 else StatutPublication.ARCHIVEE
            )
            nouvelles.append(aide)
            territoires.append((aide.portee, cible, modele.pk))
        Aide.objects.bulk_create(nouvelles, batch_size=1000)
        liens = {"region": [], "departement": [], "commune": []}
        fins = []
        for aide, (portee, cible, modele_pk) in zip(nouvelles, territoires, strict=True):
            for code in dict.fromkeys(cible):
                liens[portee].append((aide.pk, code))
            for f in financements.get(modele_pk, []):
                fins.append(
                    Financement(
                        aide=aide, organisation_id=f.organisation_id, role=f.role, ordre=f.ordre
                    )
                )
        Aide.regions.through.objects.bulk_create(
            [Aide.regions.through(aide_id=a, region_id=c) for a, c in liens["region"]]
        )
        AideDepartement = Aide.departements.through
        AideDepartement.objects.bulk_create(
            [AideDepartement(aide_id=a, departement_id=c) for a, c in liens["departement"]]
        )
        Aide.communes.through.objects.bulk_create(
            [Aide.communes.through(aide_id=a, commune_id=c) for a, c in liens["commune"]],
            batch_size=5000,
        )
        Financement.objects.bulk_create(fins, batch_size=5000)
        return f"{len(nouvelles)} aides ajoutées ({Aide.objects.count()} en tout)"

    @staticmethod
    def _portee(rng, regions, deps, communes):
        """A drawn scope and its territories: 10 % national, 25 % a region, 45 % one to three
        départements, 20 % a run of communes."""
        tirage = rng.random()
        if tirage < 0.1:
            return Aide.Portee.NATIONALE, []
        elif tirage < 0.35:
            return Aide.Portee.REGIONS, [rng.choice(regions)]
        elif tirage < 0.8:
            dep, _ = rng.choice(deps)
            return Aide.Portee.DEPARTEMENTS, [dep] + [
                rng.choice(deps)[0] for _ in range(rng.randint(0, 2))
            ]
        else:
            debut = rng.randrange(len(communes) - 30)
            return Aide.Portee.COMMUNES, [
                c for c, _ in communes[debut : debut + rng.randint(1, 30)]
            ]

    def _zonage(self, p):
        rng = random.Random(f"{VERSION}-zonage")
        existants = set(Zonage.objects.values_list("commune_id", "profession"))
        niveaux, poids = zip(*NIVEAUX_ZONAGE, strict=True)
        lignes = [
            Zonage(
                commune_id=code,
                profession=prof,
                niveau=rng.choices(niveaux, poids)[0],
                date_arrete=datetime.date(2024, 1, 1),
                source="Zonage fictif du banc d'essai",
                fictif=True,
            )
            for code in Commune.objects.order_by("code").values_list("code", flat=True)
            for prof in PROFESSIONS_ZONEES
            if (code, prof) not in existants
        ]
        Zonage.objects.bulk_create(lignes, batch_size=10_000)
        return f"{len(lignes)} zonages ajoutés"

    def _referents(self, p, motifs, lundi):
        """Referents spread over the départements, each with a place and two weekly openings."""
        deps = list(Departement.objects.order_by("code"))
        referents = []
        for n in range(p["referents"]):
            dep = deps[n % len(deps)]
            user = User.objects.create(email=f"referent{n}@banc.invalid", is_staff=True)
            referent = Referent.objects.create(utilisateur=user, presentation="Référent du banc")
            referent.departements.add(dep)
            lieu = Lieu.objects.create(nom=f"Délégation {dep.nom}", departement=dep)
            for jours, de, a in (
                ([0, 2, 4], datetime.time(9), datetime.time(12, 30)),
                ([1, 3], datetime.time(13, 30), datetime.time(17, 30)),
            ):
                plage = PlageOuverture.objects.create(
                    referent=referent,
                    jours=jours,
                    heure_debut=de,
                    heure_fin=a,
                    date_debut=lundi,
                    date_fin=lundi + datetime.timedelta(days=91),
                    lieu=lieu,
                )
                plage.motifs.set(motifs)
            referents.append((referent, lieu))
        return referents

    def _rendezvous(self, p):
        rng = random.Random(f"{VERSION}-rendezvous")
        motifs = list(MotifRendezVous.objects.order_by("pk"))
        lundi = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
        referents = self._referents(p, motifs, lundi)
        # Meetings on the opening hours of the next 13 weeks, at most one per hour and referent.
        creneaux = [
            (jour, heure)
            for jour in range(1, 91)
            if (lundi + datetime.timedelta(days=jour)).weekday() < 5
            for heure in (
                (9, 10, 11)
                if (lundi + datetime.timedelta(days=jour)).weekday() % 2 == 0
                else (14, 15, 16)
            )
        ]
        rdvs = []
        par_referent = p["rendezvous"] // len(referents)
        for n, (referent, lieu) in enumerate(referents):
            for jour, heure in rng.sample(creneaux, min(par_referent, len(creneaux))):
                motif = motifs[0]
                debut = timezone.make_aware(
                    datetime.datetime.combine(
                        lundi + datetime.timedelta(days=jour), datetime.time(heure)
                    )
                )
                fin = debut + datetime.timedelta(minutes=motif.duree_minutes)
                rdvs.append(
                    RendezVous(
                        referent=referent,
                        motif=motif,
                        lieu=lieu,
                        debut=debut,
                        fin=fin,
                        fin_bloquee=fin + datetime.timedelta(minutes=motif.tampon_minutes),
                        nom="Usager du banc",
                        courriel=f"usager{n}-{jour}-{heure}@banc.invalid",
                        jeton_empreinte=hashlib.sha256(f"{n}-{jour}-{heure}".encode()).hexdigest(),
                    )
                )
        RendezVous.objects.bulk_create(rdvs, batch_size=5000)
        return f"{len(referents)} référents, {len(rdvs)} rendez-vous"

    def _annonces(self, p):
        """Published posts over the communes, then the saved searches (benchmarks.annonces)."""
        graine = f"{VERSION}-annonces"
        nouvelles = annonces.creer_annonces(p["annonces"], graine=graine)
        alertes = annonces.creer_alertes(p["alertes"], graine=graine)
        return f"{nouvelles} annonces publiées, {alertes} alertes ajoutées"

    def _demographie(self, p):
        """Every département × profession × age band × sex × mode, and every commune, per year."""
        annees = list(range(2026 - p["annees"], 2026))
        Effectif.objects.filter(source__fictive=True).delete()
        Source.objects.filter(fictive=True).delete()
        source = Source.objects.create(libelle="Données fictives du banc d'essai", fictive=True)
        pops = dict(
            Population.objects.filter(
                annee=importation.ANNEE_POPULATION_COMMUNES, niveau="departement"
            ).values_list("code_territoire", "population")
        )
        rng = random.Random(f"{VERSION}-communes")
        communes = {}
        for code, dep, population in Commune.objects.order_by("code").values_list(
            "code", "departement_id", "population"
        ):
            if rng.random() < p["communes"]:
                communes.setdefault(dep, []).append((code, population or 0))
        demo_demographie.ANNEES, anciennes = annees, demo_demographie.ANNEES
        try:
            for dep in Departement.objects.order_by("code"):
                if dep.code not in pops:
                    continue
                importation.copier_effectifs(
                    demo_demographie.lignes_departement(dep.code, dep.region_id, pops[dep.code]),
                    source,
                )
                importation.copier_effectifs(
                    _lignes_communes(dep, pops[dep.code], communes.get(dep.code, []), annees),
                    source,
                )
        finally:
            demo_demographie.ANNEES = anciennes
        debut = time.perf_counter()
        lignes = synthese.recalculer()  # in this step's transaction, like every import
        duree = time.perf_counter() - debut
        n = Effectif.objects.filter(source=source).count()
        return (
            f"{n} effectifs ({annees[0]}–{annees[-1]}), synthèse de {lignes} lignes en "
            f"{duree:.1f} s"
        )


def _lignes_communes(dep, population_dep, communes, annees):
    """One row per commune, profession and year (age, sex and mode unknown), cells of 1–2 masked."""
    for code, population in communes:
        attrait = random.Random(f"{VERSION}-{code}").uniform(0.5, 1.5)
        part = population / population_dep * attrait
        for profession in demo_demographie.PROFILS:
            for annee in annees:
                valeur = round(
                    demo_demographie.total(dep.code, population_dep, profession, annee) * part
                )
                cellule = "\\N" if valeur in (1, 2) else str(valeur)
                yield (
                    f"{annee}\tcommune\t{code}\t{dep.region_id}\t{dep.code}\t{code}\t"
                    f"{profession}\tinconnu\tinconnu\tinconnu\t{cellule}\t{{source}}\n"
                )
