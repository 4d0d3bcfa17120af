"""Health-professional demography: headcounts, populations, Pacte territoire santé indicators
and the annual bulletins.

Headcounts and populations are stored at the level they were published (commune, département
or région); every row also carries its département and région so that a territory's figures are
one indexed filter away. A masked or missing value is NULL (unknown), never zero.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from guichet.models import Commune, Departement, Region
from guichet.territorial import Territorial
from guichet.vocabulaire import MODES_STATUT, Profession, choix


class Niveau(models.TextChoices):
    COMMUNE = "commune", "Commune"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"


class TrancheAge(models.TextChoices):
    MOINS_30 = "<30", "Moins de 30 ans"
    DE_30_A_39 = "30-39", "30 à 39 ans"
    DE_40_A_49 = "40-49", "40 à 49 ans"
    DE_50_A_54 = "50-54", "50 à 54 ans"
    DE_55_A_59 = "55-59", "55 à 59 ans"
    DE_60_A_64 = "60-64", "60 à 64 ans"
    DE_65_A_69 = "65-69", "65 à 69 ans"
    PLUS_70 = "70+", "70 ans et plus"
    INCONNU = "inconnu", "Âge inconnu"


TRANCHES_60_ET_PLUS = [TrancheAge.DE_60_A_64, TrancheAge.DE_65_A_69, TrancheAge.PLUS_70]


class Sexe(models.TextChoices):
    FEMME = "F", "Femmes"
    HOMME = "H", "Hommes"
    INCONNU = "inconnu", "Sexe inconnu"


# The professions of the demography pages (the shared vocabulary without "autre").
PROFESSIONS = [p for p in Profession if p != Profession.AUTRE]


class Source(models.Model):
    """Where a batch of figures comes from; shown next to every figure."""

    libelle = models.CharField("libellé", max_length=200)
    fichier = models.CharField("fichier importé", max_length=255, blank=True)
    fictive = models.BooleanField(
        "données fictives", default=False, help_text="Données de démonstration."
    )
    importe_le = models.DateTimeField("importé le", auto_now_add=True)
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "source de données"
        verbose_name_plural = "sources de données"
        ordering = ["-importe_le"]

    def __str__(self):
        return self.libelle


class Territorialise(Territorial):
    """A row attached to a commune, a département or a région (and to its parents)."""

    REGION_DU_DEPARTEMENT = True

    niveau = models.CharField(max_length=12, choices=Niveau.choices)
    code_territoire = models.CharField("code INSEE du territoire", max_length=5)
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, related_name="+"
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class Effectif(Territorialise):
    # Each composite index below starts with one of these columns: the foreign keys' own
    # indexes (and their LIKE twins) only made every import maintain six more (issue 29).
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    annee = models.PositiveSmallIntegerField("année")
    profession = models.CharField(max_length=30, choices=Profession.choices)
    tranche_age = models.CharField("tranche d'âge", max_length=7, choices=TrancheAge.choices)
    sexe = models.CharField(max_length=7, choices=Sexe.choices)
    mode_exercice = models.CharField("mode d'exercice", max_length=7, choices=choix(MODES_STATUT))
    effectif = models.PositiveIntegerField(
        null=True, blank=True, help_text="Vide : cellule masquée."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="effectifs")

    class Meta:
        verbose_name = "effectif"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "annee",
                    "niveau",
                    "code_territoire",
                    "profession",
                    "tranche_age",
                    "sexe",
                    "mode_exercice",
                ],
                name="effectif_unique_cellule",
            )
        ]
        indexes = [
            models.Index(fields=["region", "annee", "niveau"], name="effectif_region_idx"),
            models.Index(fields=["departement", "annee", "niveau"], name="effectif_dep_idx"),
            models.Index(fields=["commune", "annee"], name="effectif_commune_idx"),
            # (annee, niveau) is the prefix of effectif_unique_cellule's index.
        ]

    def __str__(self):
        return f"{self.annee} {self.code_territoire} {self.profession}"


class Population(Territorialise):
    annee = models.PositiveSmallIntegerField("année")
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200)

    class Meta:
        verbose_name = "population"
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "niveau", "code_territoire"], name="population_unique"
            )
        ]
        ordering = ["niveau", "code_territoire", "annee"]

    def __str__(self):
        return f"{self.code_territoire} {self.annee} : {self.population}"


class Dispositif(models.TextChoices):
    CESP_CONTRATS = "cesp_contrats_signes", "Contrats d'engagement de service public signés"
    CESP_INSTALLATIONS = "cesp_installations", "Signataires d'un CESP installés"
    CESP_A_VENIR = (
        "cesp_installations_a_venir_2018",
        "Installations de signataires d'un CESP prévues d'ici 2018",
    )
    PTMG = "ptmg_contrats_signes", "Contrats de praticien territorial de médecine générale"
    MCS = "mcs_medecins", "Médecins correspondants du SAMU"
    MSP = "msp_ouvertes", "Maisons de santé pluriprofessionnelles ouvertes"
    MAITRES_DE_STAGE = (
        "maitres_de_stage_2e_cycle",
        "Maîtres de stage agréés pour le 2e cycle",
    )


class IndicateurDispositifQuerySet(models.QuerySet):
    def realises(self):
        return self.filter(nature=IndicateurDispositif.Nature.REALISE)

    def pour_region(self, region):
        return self.filter(region=region)

    def nationaux(self):
        return self.filter(region__isnull=True)


class IndicateurDispositif(models.Model):
    """A Pacte territoire santé figure for a region (or France when ``region`` is empty)."""

    class Nature(models.TextChoices):
        REALISE = "realise", "Réalisé"
        OBJECTIF = "objectif", "Objectif"

    annee = models.PositiveSmallIntegerField("année")
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide : chiffre national.",
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    indicateur = models.CharField(max_length=40, choices=Dispositif.choices)
    valeur = models.PositiveIntegerField(null=True, blank=True, help_text="Vide : inconnu.")
    nature = models.CharField(max_length=10, choices=Nature.choices, default=Nature.REALISE)
    source = models.CharField(max_length=200)

    objects = IndicateurDispositifQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur des dispositifs"
        verbose_name_plural = "indicateurs des dispositifs"
        ordering = ["region", "indicateur", "annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "region", "indicateur", "nature"],
                name="dispositif_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.get_indicateur_display()} {self.annee}"


class BulletinQuerySet(models.QuerySet):
    def publies(self):
        return self.filter(statut=Bulletin.Statut.PUBLIE).exclude(fichier="")


class Bulletin(models.Model):
    """One edition of the annual bulletin of a territory; once published it never changes.

    A region bulletin sets ``region``, a département bulletin sets ``departement`` only (so that
    département staff may edit it), the national one sets neither.
    """

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        PUBLIE = "publie", "Publié"

    annee = models.PositiveSmallIntegerField("année")
    niveau = models.CharField(max_length=12, choices=[("france", "France"), *Niveau.choices[1:]])
    code_territoire = models.CharField("code du territoire", max_length=5)
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    faits_marquants = models.TextField(
        "faits marquants",
        blank=True,
        help_text="Texte éditorial au format Markdown, en tête du bulletin.",
    )
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.BROUILLON)
    fichier = models.FileField("PDF publié", upload_to="demographie/bulletins/", blank=True)
    publie_le = models.DateTimeField("publié le", null=True, blank=True)
    publie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publié par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The current (unpublished) edition: rendered by the scheduled job or a staff action, never
    # by an anonymous request, and rendered again when ``version_donnees`` no longer matches.
    edition = models.FileField(
        "édition courante", upload_to="demographie/bulletins/editions/", blank=True
    )
    version_donnees = models.CharField("version des données", max_length=64, blank=True)
    edition_generee_le = models.DateTimeField("édition générée le", null=True, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = "bulletin annuel"
        verbose_name_plural = "bulletins annuels"
        ordering = ["-annee", "niveau", "code_territoire"]
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "niveau", "code_territoire"], name="bulletin_unique"
            )
        ]

    def __str__(self):
        return f"Bulletin {self.annee} — {self.niveau} {self.code_territoire}"

    def get_absolute_url(self):
        return reverse(
            "demographie:bulletin_pdf",
            kwargs={"annee": self.annee, "niveau": self.niveau, "code": self.code_territoire},
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.niveau == "france":
            self.region, self.departement, self.code_territoire = None, None, "FR"
        elif self.niveau == Niveau.REGION:
            if not self.region_id:
                raise ValidationError({"region": "Choisissez la région du bulletin."})
            self.departement, self.code_territoire = None, self.region_id
        elif self.niveau == Niveau.DEPARTEMENT:
            if not self.departement_id:
                raise ValidationError({"departement": "Choisissez le département du bulletin."})
            self.region, self.code_territoire = None, self.departement_id
        else:
            raise ValidationError(
                {"niveau": "Un bulletin porte sur la France, une région ou un département."}
            )

    @property
    def titre_territoire(self) -> str:
        if self.region_id:
            return self.region.nom
        if self.departement_id:
            return f"{self.departement.nom} ({self.departement_id})"
        return "France" if self.niveau == "france" else f"{self.niveau} {self.code_territoire}"

    @property
    def est_publie(self):
        return self.statut == self.Statut.PUBLIE and bool(self.fichier)

    @property
    def fichier_a_servir(self):
        """The stored PDF the public URL serves: the published one, else the current edition."""
        if self.est_publie:
            return self.fichier
        return self.edition or None


class Synthese(models.Model):
    """The aggregated headcount cells of France, a région or a département, one row per year,
    level of the aggregated rows and profession (``profession`` empty: all professions), built
    once per import by ``synthese.recalculer`` so that a page reads a few rows instead of
    aggregating the whole headcount table. Every level present is kept, not only the coarsest:
    a parent's table shows its children at the parent's level. Communes are not summarised:
    their rows are one indexed filter away."""

    niveau_territoire = models.CharField(max_length=12)
    code_territoire = models.CharField(max_length=5)
    annee = models.PositiveSmallIntegerField("année")
    niveau = models.CharField("niveau des effectifs agrégés", max_length=12, choices=Niveau.choices)
    profession = models.CharField(max_length=30, blank=True)
    lignes = models.PositiveIntegerField()
    masques = models.PositiveIntegerField(verbose_name="cellules masquées")
    total = models.PositiveIntegerField(null=True, help_text="Vide : toutes cellules masquées.")
    age_connu = models.PositiveIntegerField(verbose_name="âge connu")
    age_60 = models.PositiveIntegerField(verbose_name="60 ans et plus")
    sexe_connu = models.PositiveIntegerField()
    femmes = models.PositiveIntegerField()
    mode_connu = models.PositiveIntegerField()
    liberal = models.PositiveIntegerField(verbose_name="libéral")
    salarie = models.PositiveIntegerField(verbose_name="salarié")
    mixte = models.PositiveIntegerField()
    # "tranche|sexe" -> headcount (null when every cell is masked); empty for all professions.
    pyramide = models.JSONField(default=dict)
    sources = models.JSONField("identifiants des sources", default=list)

    class Meta:
        verbose_name = "synthèse des effectifs"
        verbose_name_plural = "synthèses des effectifs"
        constraints = [
            models.UniqueConstraint(
                fields=["niveau_territoire", "code_territoire", "annee", "niveau", "profession"],
                name="synthese_unique",
            )
        ]

    def __str__(self):
        return f"{self.niveau_territoire} {self.code_territoire} {self.annee} {self.profession}"


class EtatSynthese(models.Model):
    """``synthese``: the "effectifs" content version (guichet.versions) the summary was built
    from. They differ only after a write that did not rebuild the summary (a shell, a test
    factory): the next read rebuilds it."""

    cle = models.CharField(max_length=12, primary_key=True, verbose_name="clé")
    valeur = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "état de la synthèse"

    def __str__(self):
        return f"{self.cle} : {self.valeur}"
