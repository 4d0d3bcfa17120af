"""The shared vocabulary of professions and situations, used by every app, in URLs and imports."""

from django.db import models


class Profession(models.TextChoices):
    MEDECIN_GENERALISTE = "medecin-generaliste", "Médecin généraliste"
    MEDECIN_SPECIALISTE = "medecin-specialiste", "Médecin spécialiste"
    CHIRURGIEN_DENTISTE = "chirurgien-dentiste", "Chirurgien-dentiste"
    SAGE_FEMME = "sage-femme", "Sage-femme"
    INFIRMIER = "infirmier", "Infirmier ou infirmière"
    MASSEUR_KINESITHERAPEUTE = "masseur-kinesitherapeute", "Masseur-kinésithérapeute"
    PHARMACIEN = "pharmacien", "Pharmacien ou pharmacienne"
    ORTHOPHONISTE = "orthophoniste", "Orthophoniste"
    ORTHOPTISTE = "orthoptiste", "Orthoptiste"
    PEDICURE_PODOLOGUE = "pedicure-podologue", "Pédicure-podologue"
    AUTRE = "autre", "Autre profession"


class Situation(models.TextChoices):
    ETUDIANT = "etudiant", "Étudiant ou étudiante"
    INTERNE = "interne", "Interne"
    DOCTEUR_JUNIOR = "docteur-junior", "Docteur junior"
    REMPLACANT = "remplacant", "Remplaçant ou remplaçante"
    INSTALLE = "installe", "Installé ou installée"
    PORTEUR_DE_PROJET = "porteur-de-projet", "Porteur ou porteuse de projet"
    ELU = "elu", "Élu ou agent de collectivité"
    AUTRE = "autre", "Autre situation"


class Public(models.TextChoices):
    """The audiences the portal speaks to (home page entry points and audience pages)."""

    PROFESSIONNELS = "professionnels", "Professionnels de santé"
    ETUDIANTS = "etudiants-internes", "Étudiants et internes"
    ELUS = "elus-collectivites", "Élus et collectivités"
    PORTEURS = "porteurs-de-projet", "Porteurs de projet d'exercice coordonné"


class Genre(models.TextChoices):
    """How a named person's role agrees ("référente"); unknown gives the neutral doublet."""

    NON_RENSEIGNE = "", "Non renseigné (formulation neutre : « référent ou référente »)"
    FEMININ = "f", "Féminin (« référente »)"
    MASCULIN = "m", "Masculin (« référent »)"
