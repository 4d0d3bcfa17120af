"""FICTITIOUS demo activity for `make run`: questions, accompaniments and counters in the
Deux-Sèvres (Nouvelle-Aquitaine) and in Martinique. Every person is invented (addresses in
``.invalid``), loaded once (the ``espace-demo`` data set marker)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from espace.models import (
    Accompagnement,
    ChangementEtape,
    CompteurJournalier,
    MessageQuestion,
    Question,
)
from guichet.models import Commune, Departement, JeuDeDonnees, User

MARQUEUR = "espace-demo"
PRENOMS = ["Alex", "Camille", "Dominique", "Élie", "Jules", "Lou", "Maé", "Noa", "Sacha", "Yaël"]
NOMS = ["Exemple", "Fictif", "Démo", "Essai", "Modèle"]
PROFESSIONS = [
    "medecin-generaliste", "medecin-generaliste", "medecin-generaliste", "infirmier",
    "infirmier", "masseur-kinesitherapeute", "chirurgien-dentiste", "sage-femme", "orthophoniste",
]  # fmt: skip
SUJETS = [
    "Aides à l'installation en zone d'intervention prioritaire",
    "Contrat d'engagement de service public",
    "Trouver un local dans une maison de santé",
    "Démarches auprès de l'Ordre et de la CPAM",
    "Exercice mixte hôpital et cabinet",
    "Logement pendant les stages d'internat",
]
# Per territory: (département, referent e-mail, accompaniments last year, this year, questions)
TERRITOIRES = [
    ("79", "referent.deux-sevres@demo.guichet-sante.fr", 42, 20, 60),
    ("972", "referent.martinique@demo.guichet-sante.fr", 18, 9, 25),
]


def charger(ecrire=print) -> None:
    if JeuDeDonnees.objects.est_charge(MARQUEUR):
        ecrire("Activité de démonstration de l'espace ARS déjà chargée.")
        return
    hasard = random.Random(79972)
    with transaction.atomic():
        total = 0
        for code, courriel, passe, courant, questions in TERRITOIRES:
            departement = Departement.objects.filter(pk=code).select_related("region").first()
            referent = User.objects.filter(email=courriel).first()
            if departement is None:
                continue
            communes = list(
                Commune.objects.filter(departement=departement).order_by("-population")[:15]
            )
            total += _accompagnements(hasard, departement, communes, referent, passe, courant)
            _questions(hasard, departement, communes, referent, questions)
            _compteurs(hasard, departement)
        JeuDeDonnees.objects.marquer_charge(MARQUEUR)
    ecrire(f"Activité fictive de l'espace ARS : {total} accompagnements, questions et compteurs.")


def _personne(hasard, n):
    nom = f"{hasard.choice(PRENOMS)} {hasard.choice(NOMS)} {n}"
    return nom, f"demo.{n}.{hasard.randrange(10**6)}@exemple.invalid"


def _accompagnements(hasard, departement, communes, referent, passe, courant) -> int:
    aujourd_hui = timezone.localdate()
    annees = [(aujourd_hui.year - 1, passe), (aujourd_hui.year, courant)]
    n = 0
    for annee, combien in annees:
        debut = datetime.date(annee, 1, 1)
        fin = min(datetime.date(annee, 12, 31), aujourd_hui)
        for i in range(combien):
            n += 1
            nom, courriel = _personne(hasard, f"{departement.pk}-{annee}-{i}")
            contact = debut + datetime.timedelta(days=hasard.randrange((fin - debut).days + 1))
            commune = hasard.choice(communes) if communes else None
            accompagnement = Accompagnement.objects.create(
                nom=nom,
                courriel=courriel,
                profession=hasard.choice(PROFESSIONS),
                commune_cible=commune,
                departement=departement,
                region=departement.region,
                premier_contact_le=contact,
                referent=referent,
                notes="Personne fictive (démonstration).",
            )
            historique = [
                ChangementEtape(accompagnement=accompagnement, vers="premier-contact", le=contact)
            ]
            etapes = _parcours_tire(hasard, passe=annee < aujourd_hui.year)
            jour = contact
            for etape in etapes:
                jour = min(jour + datetime.timedelta(days=hasard.randrange(20, 160)), aujourd_hui)
                changement = accompagnement.changer_etape(etape, le=jour, commune=commune)
                changement.par = referent
                historique.append(changement)
            accompagnement.save()
            ChangementEtape.objects.bulk_create(historique)
    return n


def _parcours_tire(hasard, *, passe: bool) -> list[str]:
    """About one in five installs; last year's cohort has mostly settled its project."""
    tirage = hasard.random()
    if tirage < 0.22:
        return ["projet", "installe"]
    if tirage < (0.44 if passe else 0.75):
        return ["projet"]
    if passe and tirage < 0.9:
        return ["abandonne"]
    return []


def _questions(hasard, departement, communes, referent, combien) -> None:
    maintenant = timezone.now()
    for i in range(combien):
        recue = maintenant - datetime.timedelta(
            days=hasard.randrange(1, 500), hours=hasard.randrange(24)
        )
        _nom, courriel = _personne(hasard, f"q{departement.pk}-{i}")
        message = "Question fictive de démonstration : quelles aides et quelles démarches ?"
        question = Question.objects.create(
            profession=hasard.choice(PROFESSIONS),
            situation=hasard.choice(["interne", "remplacant", "installe", "docteur-junior"]),
            commune=hasard.choice(communes) if communes else None,
            departement=departement,
            region=departement.region,
            sujet=hasard.choice(SUJETS),
            message=message,
            courriel=courriel,
            referent=referent,
            recue_le=recue,
            echeance=(recue + datetime.timedelta(days=7)).date(),
        )
        MessageQuestion.objects.create(question=question, texte=message, envoye_le=recue)
        if recue < maintenant - datetime.timedelta(days=3) and hasard.random() < 0.9:
            reponse = recue + datetime.timedelta(hours=hasard.randrange(2, 120))
            MessageQuestion.objects.create(
                question=question,
                auteur=referent,
                texte="Réponse fictive de démonstration.",
                envoye_le=reponse,
            )
            question.statut = Question.Statut.CLOSE if hasard.random() < 0.5 else "repondue"
            question.premiere_reponse_le = reponse
            question.save()


def _compteurs(hasard, departement) -> None:
    aujourd_hui = timezone.localdate()
    lignes = []
    for jours in range(0, 500):
        jour = aujourd_hui - datetime.timedelta(days=jours)
        for indicateur, moyenne in (("simulation", 4), ("aide-vue", 25)):
            lignes.append(
                CompteurJournalier(
                    jour=jour,
                    indicateur=indicateur,
                    region=departement.region,
                    departement=departement,
                    nombre=hasard.randrange(moyenne * 2 + 1),
                )
            )
    CompteurJournalier.objects.bulk_create(lignes, ignore_conflicts=True)
