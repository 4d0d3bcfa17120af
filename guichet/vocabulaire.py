"""The shared vocabulary (professions, situations, modes of practice...), used by every app, in
URLs and imports."""

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


class ModeExercice(models.TextChoices):
    """How a professional practises: one vocabulary for aids, demography and parcours.

    Each field records one facet of it (the tuples below); the stored values are those the
    three apps always used.
    """

    LIBERAL = "liberal", "Exercice libéral"
    SALARIE = "salarie", "Exercice salarié"
    MIXTE = "mixte", "Exercice mixte"
    INCONNU = "inconnu", "Mode d'exercice inconnu"
    COORDONNE = "coordonne", "Projet d'exercice coordonné"
    SEUL = "seul", "Seul ou seule"
    GROUPE = "groupe", "En cabinet de groupe"
    MSP = "msp", "En maison de santé pluriprofessionnelle"


# Statute counted by the demography figures (RPPS: libéral, salarié or both).
MODES_STATUT = (
    ModeExercice.LIBERAL,
    ModeExercice.SALARIE,
    ModeExercice.MIXTE,
    ModeExercice.INCONNU,
)
# How a practice is organised: an aid's condition and the simulator's question.
MODES_CABINET = (ModeExercice.SEUL, ModeExercice.GROUPE, ModeExercice.MSP)
# What a parcours (step-by-step procedure) is written for.
MODES_PARCOURS = (ModeExercice.LIBERAL, ModeExercice.COORDONNE, ModeExercice.SALARIE)


def choix(modes) -> list[tuple[str, str]]:
    """The ``choices`` of a field or form field offering these values of a vocabulary."""
    return [(m.value, m.label) for m in modes]
