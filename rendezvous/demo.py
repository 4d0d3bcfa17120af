"""Demo referents with opening hours in several regions, one overseas (Martinique)."""

import datetime

from django.utils import timezone

from guichet.models import Departement, User
from rendezvous.models import Lieu, MotifRendezVous, PlageOuverture, Referent

MOTIFS = [
    {
        "slug": "premier-entretien-installation",
        "nom": "Premier entretien installation",
        "description": "Faire le point sur votre projet : lieu, mode d'exercice, aides, démarches.",
        "duree_minutes": 45, "tampon_minutes": 15, "delai_minimum_heures": 24,
        "fenetre_jours": 60, "max_par_jour": 6, "annulable_jusqu_heures": 24, "ordre": 1,
        "instructions": "Préparez vos questions et, si vous l'avez, une idée des communes "
        "envisagées. Aucun document n'est obligatoire pour ce premier entretien.",
    },
    {
        "slug": "projet-maison-de-sante",
        "nom": "Projet de maison de santé",
        "description": "Pour les équipes qui montent une MSP, un centre de santé ou une CPTS.",
        "duree_minutes": 60, "tampon_minutes": 30, "delai_minimum_heures": 48,
        "fenetre_jours": 90, "max_par_jour": 2, "annulable_jusqu_heures": 48, "ordre": 2,
        "instructions": "Venez si possible avec la liste des professionnels associés et un "
        "premier projet de santé, même sommaire.",
    },
    {
        "slug": "dossier-cesp",
        "nom": "Dossier CESP",
        "description": "Étudiants et internes : le contrat d'engagement de service public.",
        "duree_minutes": 30, "tampon_minutes": 10, "delai_minimum_heures": 24,
        "fenetre_jours": 45, "max_par_jour": 4, "annulable_jusqu_heures": 12, "ordre": 3,
        "instructions": "Munissez-vous de votre certificat de scolarité.",
    },
]  # fmt: skip

REFERENTS = [
    {
        "email": "referent.deux-sevres@demo.guichet-sante.fr",
        "departements": ["79"],
        "genre": "",  # not given: the pages use the neutral wording
        "presentation": "Référent installation de la délégation départementale des Deux-Sèvres "
        "(données de démonstration).",
        "lieux": [
            ("Délégation départementale de l'ARS, Niort", "adresse", "79",
             "Adresse de démonstration, 79000 Niort"),
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
            ("ARS Martinique, Fort-de-France", "adresse", "972",
             "Adresse de démonstration, 97200 Fort-de-France"),
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
]  # fmt: skip


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
                referent=referent, jours=jours, heure_debut=datetime.time.fromisoformat(de),
                heure_fin=datetime.time.fromisoformat(a), date_debut=debut,
                lieu=lieux[min(index_lieu, len(lieux) - 1)],
            )  # fmt: skip
            plage.motifs.set(motifs)
    ecrire(f"{len(REFERENTS)} référents de démonstration avec leurs plages d'ouverture.")
