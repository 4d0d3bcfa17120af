"""FICTITIOUS demo posts for `make run`, each labelled as such (``fictive``): a practice to take
over in Felletin, a summer replacement near Niort, a salaried post in a Le Lamentin centre de
santé, interns' housing in Creuse. Authors are invented accounts (addresses in ``.invalid``).
Loaded once (the ``opportunites-demo`` data set marker)."""

import datetime

from django.db import transaction
from django.utils import timezone

from guichet.models import Commune, JeuDeDonnees, User
from installation.models import Structure
from opportunites.models import Nature, Opportunite, QualiteAuteur

MARQUEUR = "opportunites-demo"
ANNONCES = [
    {
        "commune": "23079",  # Felletin
        "auteur": ("mairie.felletin.demo@exemple.invalid", "Mairie de Felletin (fictif)"),
        "qualite_auteur": QualiteAuteur.COLLECTIVITE,
        "structure": "Commune de Felletin (annonce fictive)",
        "nature": Nature.REPRISE,
        "titre": "Cabinet de médecine générale à reprendre au centre-bourg",
        "professions": ["medecin-generaliste"],
        "loyer_mensuel": 300,
        "secretariat": True,
        "equipement": "Deux bureaux de consultation, salle d'attente, accès de plain-pied.",
        "equipe": "Une infirmière et un kinésithérapeute dans le même bâtiment.",
        "description": "Le médecin du bourg part à la retraite à l'automne. La commune met le "
        "cabinet à disposition à loyer modéré et aide à trouver un logement.\n\n"
        "*Annonce fictive de démonstration.*",
    },
    {
        "commune": "79081",  # Chauray, next to Niort
        "auteur": ("cabinet.chauray.demo@exemple.invalid", "Cabinet de Chauray (fictif)"),
        "qualite_auteur": QualiteAuteur.PROFESSIONNEL,
        "structure": "",
        "nature": Nature.REMPLACEMENT,
        "titre": "Remplacement d'été en médecine générale près de Niort",
        "professions": ["medecin-generaliste"],
        "retrocession": 75,
        "secretariat": True,
        "debut": (7, 6),
        "fin": (8, 22),
        "description": "Remplacement de six semaines, cabinet de groupe, logiciel médical "
        "courant, secrétariat sur place.\n\n*Annonce fictive de démonstration.*",
    },
    {
        "commune": "97213",  # Le Lamentin
        "auteur": ("centre.lamentin.demo@exemple.invalid", "Centre de santé (fictif)"),
        "qualite_auteur": QualiteAuteur.STRUCTURE,
        "structure": "Centre de santé du Lamentin (fictif)",
        "structure_accueil": "Centre de santé du Lamentin (fictif)",  # installation.demo
        "nature": Nature.SALARIE,
        "titre": "Infirmier ou infirmière salariée en centre de santé",
        "professions": ["infirmier"],
        "salaire_mensuel": 2600,
        "secretariat": True,
        "description": "Poste à temps plein, équipe pluriprofessionnelle, horaires de jour.\n\n"
        "*Annonce fictive de démonstration.*",
    },
    {
        "commune": "23096",  # Guéret
        "auteur": ("logement.creuse.demo@exemple.invalid", "Association d'accueil (fictif)"),
        "qualite_auteur": QualiteAuteur.COLLECTIVITE,
        "structure": "Communauté d'agglomération (annonce fictive)",
        "nature": Nature.LOGEMENT,
        "titre": "Logements meublés pour internes en stage en Creuse",
        "professions": ["medecin-generaliste", "sage-femme", "pharmacien"],
        "loyer_mensuel": 150,
        "description": "Studios meublés proches de l'hôpital, réservés aux internes et "
        "remplaçants pendant leur stage.\n\n*Annonce fictive de démonstration.*",
    },
]


def _date(annee: int, mois_jour) -> datetime.date | None:
    return datetime.date(annee, *mois_jour) if mois_jour else None


def charger(ecrire=print) -> None:
    if JeuDeDonnees.objects.est_charge(MARQUEUR):
        ecrire("Annonces de démonstration déjà chargées.")
        return
    maintenant = timezone.now()
    annee = timezone.localdate().year + (1 if timezone.localdate().month > 6 else 0)
    with transaction.atomic():
        n = 0
        for donnees in ANNONCES:
            donnees = dict(donnees)
            commune = Commune.objects.filter(pk=donnees.pop("commune")).first()
            if commune is None:
                continue
            accueil = donnees.pop("structure_accueil", None)
            donnees["structure_accueil"] = (
                Structure.objects.filter(nom=accueil, fictive=True).first() if accueil else None
            )
            courriel, nom = donnees.pop("auteur")
            auteur, _ = User.objects.get_or_create(email=courriel, defaults={"last_name": nom})
            annonce = Opportunite(
                commune=commune,
                auteur=auteur,
                fictive=True,
                debut=_date(annee, donnees.pop("debut", None)),
                fin=_date(annee, donnees.pop("fin", None)),
                **donnees,
            )
            annonce.soumettre(maintenant=maintenant)
            annonce.publier(None, maintenant=maintenant)
            annonce.save()
            n += 1
        JeuDeDonnees.objects.marquer_charge(MARQUEUR)
    ecrire(f"{n} annonces fictives de démonstration publiées.")
