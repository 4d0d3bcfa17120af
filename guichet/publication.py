"""The publication workflow shared by aids, parcours, pages and documents.

brouillon → publiée → archivée (and back to brouillon to rework). Public views only ever use
``.publies()``; a review date (``revoir_le``) lists the content due for re-reading on the
staff dashboard.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class StatutPublication(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PUBLIEE = "publiee", "Publiée"
    ARCHIVEE = "archivee", "Archivée"


class PublicationQuerySet(models.QuerySet):
    champ_statut = "statut_publication"

    def publies(self):
        return self.filter(**{self.champ_statut: StatutPublication.PUBLIEE})

    def a_revoir(self, jour: datetime.date | None = None):
        return self.exclude(**{self.champ_statut: StatutPublication.ARCHIVEE}).filter(
            revoir_le__lte=jour or timezone.localdate()
        )


class Publiable(models.Model):
    # Existing content and imports stay visible: published unless staff choose otherwise.
    statut_publication = models.CharField(
        "publication",
        max_length=20,
        choices=StatutPublication.choices,
        default=StatutPublication.PUBLIEE,
        help_text="Un brouillon ou un contenu archivé n'apparaît jamais sur le site public.",
    )
    revoir_le = models.DateField(
        "à relire le",
        null=True,
        blank=True,
        help_text="Date de la prochaine relecture : le contenu apparaît alors au tableau de bord.",
    )

    class Meta:
        abstract = True

    def publier(self) -> None:
        if self.statut_publication == StatutPublication.PUBLIEE:
            raise ValidationError("Ce contenu est déjà publié.")
        self.statut_publication = StatutPublication.PUBLIEE

    def archiver(self) -> None:
        if self.statut_publication != StatutPublication.PUBLIEE:
            raise ValidationError("Seul un contenu publié peut être archivé.")
        self.statut_publication = StatutPublication.ARCHIVEE

    def repasser_en_brouillon(self) -> None:
        if self.statut_publication == StatutPublication.BROUILLON:
            raise ValidationError("Ce contenu est déjà un brouillon.")
        self.statut_publication = StatutPublication.BROUILLON
