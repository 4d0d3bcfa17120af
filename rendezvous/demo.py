"""Demo referents with opening hours in several regions, one overseas (Martinique)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from guichet.fuseaux import fuseau_de
from guichet.models import Departement, JeuDeDonnees, User
from rendezvous.creneaux import creneaux_libres, jours_feries
from rendezvous.models import Lieu, MotifRendezVous, PlageOuverture, Referent, RendezVous

MARQUEUR = "demo-rendez-vous"
PROFESSIONS_DEMO = ["medecin-generaliste", "infirmier", "masseur-kinesitherapeute", "sage-femme"]

MOTIFS = [
    {
        "slug": "premier-entretien-installation",
        "nom": "Premier entretien installation",
        "description": "Faire le point sur votre projet : lieu, mode d'exercice, aides, démarches.",
        "duree_minutes": 45,
        "tampon_minutes": 15,
        "delai_minimum_heures": 24,
        "fenetre_jours": 60,
        "max_par_jour": 6,
        "annulable_jusqu_heures": 24,
        "ordre": 1,
        "instructions": "Préparez vos questions et, si vous l'avez, une idée des communes "
        "envisagées. Aucun document n'est obligatoire pour ce premier entretien.",
    },
    {
        "slug": "projet-maison-de-sante",
        "nom": "Projet de maison de santé",
        "description": "Pour les équipes qui montent une MSP, un centre de santé ou une CPTS.",
        "duree_minutes": 60,
        "tampon_minutes": 30,
        "delai_minimum_heures": 48,
        "fenetre_jours": 90,
        "max_par_jour": 2,
        "annulable_jusqu_heures": 48,
        "ordre": 2,
        "instructions": "Venez si possible avec la liste des professionnels associés et un "
        "premier projet de santé, même sommaire.",
    },
    {
        "slug": "dossier-cesp",
        "nom": "Dossier CESP",
        "description": "Étudiants et internes : le contrat d'engagement de service public.",
        "duree_minutes": 30,
        "tampon_minutes": 10,
        "delai_minimum_heures": 24,
        "fenetre_jours": 45,
        "max_par_jour": 4,
        "annulable_jusqu_heures": 12,
        "ordre": 3,
        "instructions": "Munissez-vous de votre certificat de scolarité.",
    },
]

REFERENTS = [
    {
        "email": "referent.deux-sevres@demo.guichet-sante.fr",
        "departements": ["79"],
        "genre": "",  # not given: the pages use the neutral wording
        "presentation": "Référent installation de la délégation départementale des Deux-Sèvres "
        "(données de démonstration).",
        "lieux": [
            (
                "Délégation départementale de l'ARS, Niort",
                "adresse",
                "79",
                "Adresse de démonstration, 79000 Niort",
            ),
            ("Entretien par téléphone", "telephone", "79", ""),
        ],
        "plages": [([0, 2, 4], "09:00", "12:00", 0), ([1, 3], "14:00", "17:00", 1)],
    },
    {
        "email": "referent.martinique@demo.guichet-sante.fr",
        "departements": ["972"],
        "genre": "f",
        "presentation": "Référente installation de l'ARS Martinique (données de démonstration).",
        "lieux": [
            (
                "ARS Martinique, Fort-de-France",
                "adresse",
                "972",
                "Adresse de démonstration, 97200 Fort-de-France",
            ),
            ("Entretien en visioconférence", "visio", "972", ""),
        ],
        "plages": [([0, 1, 3], "08:00", "12:00", 0), ([2], "13:30", "16:30", 1)],
    },
    {
        "email": "referent.creuse@demo.guichet-sante.fr",
        "departements": ["23", "87"],
        "genre": "m",
        "presentation": "Référent installation pour la Creuse et la Haute-Vienne (données de "
        "démonstration).",
        "lieux": [("Entretien en visioconférence", "visio", "23", "")],
        "plages": [([1, 3], "09:30", "12:30", 0)],
    },
]


def charger(ecrire=print) -> None:
    motifs = []
    for donnees in MOTIFS:
        motif, _ = MotifRendezVous.objects.update_or_create(slug=donnees["slug"], defaults=donnees)
        motifs.append(motif)
    debut = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    for donnees in REFERENTS:
        utilisateur, cree = User.objects.get_or_create(
            email=donnees["email"],
            defaults={"is_staff": True, "first_name": "Camille", "last_name": "Référent"},
        )
        if cree:
            utilisateur.set_unusable_password()
            utilisateur.save()
        referent, cree = Referent.objects.get_or_create(
            utilisateur=utilisateur,
            defaults={"presentation": donnees["presentation"], "genre": donnees["genre"]},
        )
        referent.departements.set(Departement.objects.filter(code__in=donnees["departements"]))
        if not cree:
            continue
        lieux = [
            Lieu.objects.create(nom=nom, type=type_, departement_id=dep, adresse=adresse)
            for nom, type_, dep, adresse in donnees["lieux"]
        ]
        for jours, de, a, index_lieu in donnees["plages"]:
            plage = PlageOuverture.objects.create(
                referent=referent,
                jours=jours,
                heure_debut=datetime.time.fromisoformat(de),
                heure_fin=datetime.time.fromisoformat(a),
                date_debut=debut,
                lieu=lieux[min(index_lieu, len(lieux) - 1)],
            )
            plage.motifs.set(motifs)
    ecrire(f"{len(REFERENTS)} référents de démonstration avec leurs plages d'ouverture.")
    _rendezvous(ecrire)


def _rendezvous(ecrire) -> None:
    """Fictitious meetings, so that the agenda and the staff dashboard have something to show:
    about 15 months of past meetings (honoured, missed, cancelled) on the opening hours, and a
    few upcoming ones taken from the real free slots. Loaded once; no e-mail is sent."""
    if JeuDeDonnees.objects.est_charge(MARQUEUR):
        return
    hasard = random.Random(972079)
    motif = MotifRendezVous.objects.get(slug="premier-entretien-installation")
    maintenant = timezone.now()
    total = 0
    with transaction.atomic():
        for donnees in REFERENTS:
            referent = Referent.objects.filter(utilisateur__email=donnees["email"]).first()
            departement = Departement.objects.filter(pk=donnees["departements"][0]).first()
            if referent is None or departement is None or referent.rendezvous.exists():
                continue
            plage = referent.plages.order_by("pk").first()
            if plage is None:
                continue
            fuseau = fuseau_de(departement)
            aujourd_hui = maintenant.astimezone(fuseau).date()
            feries = jours_feries(
                departement.code, {aujourd_hui.year - 2, aujourd_hui.year - 1, aujourd_hui.year}
            )
            jour = aujourd_hui - datetime.timedelta(days=450)
            n = 0
            while jour < aujourd_hui:
                if jour.weekday() in plage.jours and jour not in feries and hasard.random() < 0.45:
                    debut = datetime.datetime.combine(jour, plage.heure_debut, tzinfo=fuseau)
                    statut = hasard.choices(
                        [
                            RendezVous.Statut.HONORE,
                            RendezVous.Statut.ABSENT,
                            RendezVous.Statut.ANNULE_USAGER,
                            RendezVous.Statut.ANNULE_REFERENT,
                        ],
                        weights=[78, 8, 11, 3],
                    )[0]
                    _creer(hasard, referent, motif, plage.lieu_id, debut, statut, departement, n)
                    n += 1
                jour += datetime.timedelta(days=1)
            libres = creneaux_libres(departement=departement, motif=motif, referents=[referent])
            for creneau in libres[::7][:6]:
                _creer(
                    hasard,
                    referent,
                    motif,
                    creneau.lieu_id,
                    creneau.debut,
                    RendezVous.Statut.CONFIRME,
                    departement,
                    n,
                )
                n += 1
            total += n
        JeuDeDonnees.objects.marquer_charge(MARQUEUR)
    ecrire(f"Rendez-vous fictifs de démonstration : {total} (passés et à venir).")


def _creer(hasard, referent, motif, lieu_id, debut, statut, departement, n) -> None:
    fin = debut + datetime.timedelta(minutes=motif.duree_minutes)
    annule = statut in RendezVous.STATUTS_ANNULES
    rdv = RendezVous(
        referent=referent,
        motif=motif,
        lieu_id=lieu_id,
        debut=debut,
        fin=fin,
        fin_bloquee=fin + datetime.timedelta(minutes=motif.tampon_minutes),
        statut=statut,
        nom=f"Personne fictive {departement.code}-{n}",
        courriel=f"demo.rdv.{departement.code}.{n}@exemple.invalid",
        profession=hasard.choice(PROFESSIONS_DEMO),
        situation="",
        annule_le=debut - datetime.timedelta(days=2) if annule else None,
        rappel_envoye_le=debut - datetime.timedelta(days=1) if debut < timezone.now() else None,
    )
    rdv.nouveau_jeton()
    rdv.save()
