"""The one abstract model of what is attached to a territory (contents, staff rows, figures).

A row names a région, a département, or neither (national). Two rules, chosen by the model:
- contents (parcours, documents, events...) are national, or for one région, or for one
  département — never both (``REGION_DU_DEPARTEMENT = False``, the default);
- rows about a place (a question, figures) keep the région of their département as well, so a
  regional agent's scope finds them (``REGION_DU_DEPARTEMENT = True``): the région is never
  chosen separately, ``save`` and ``clean`` derive it.
A model whose territory is required overrides the field (``null=False``).
"""

from django.core.exceptions import ValidationError
from django.db import models

from guichet.models import Departement, Region


class Territorial(models.Model):
    REGION_DU_DEPARTEMENT = False

    region = models.ForeignKey(
        Region,
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide avec le département : contenu national.",
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._region_du_departement()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self._region_du_departement()
        if not self.REGION_DU_DEPARTEMENT and self.region_id and self.departement_id:
            raise ValidationError(
                "Choisissez une région ou un département, pas les deux (ni l'un ni l'autre : "
                "contenu national)."
            )

    def _region_du_departement(self):
        if self.REGION_DU_DEPARTEMENT and self.departement_id:
            self.region_id = self.departement.region_id

    @property
    def territoire(self) -> str:
        if self.departement_id:
            return str(self.departement)
        if self.region_id:
            return str(self.region)
        return "National"
