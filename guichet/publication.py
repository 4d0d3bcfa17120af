"""The publication workflow shared by aids, parcours, pages and documents.

brouillon → publiée → archivée (and back to brouillon to rework), only through the guarded
transitions below: the admin's form and actions call them (guichet.admin_publication), never
write the field. Public views only ever use ``.publies()``; a review date (``revoir_le``)
lists the content due for re-reading on the staff dashboard.
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

    def passer_a(self, statut: str) -> None:
        """Reach ``statut`` through its guarded transition (what the admin's form does).

        Keeping the current status is no transition. A new object starts as a draft: it may be
        created as a draft or published, never archived.
        """
        if self._state.adding:
            self.statut_publication = StatutPublication.BROUILLON
        if statut == self.statut_publication:
            return
        if statut not in TRANSITIONS:
            raise ValidationError("Statut de publication inconnu.")
        getattr(self, TRANSITIONS[statut])()


# The transition that leads to each status.
TRANSITIONS = {
    StatutPublication.PUBLIEE: "publier",
    StatutPublication.ARCHIVEE: "archiver",
    StatutPublication.BROUILLON: "repasser_en_brouillon",
}
