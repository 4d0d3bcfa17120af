"""Installation procedures: parcours and their steps, the partner directory, downloadable
documents, personal installation plans, events and news."""

import copy
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from aides.models import Aide, Organisation
from guichet import geo, grammaire
from guichet.models import Commune, Departement, Region
from guichet.publication import Publiable, PublicationQuerySet
from guichet.territorial import Territorial
from guichet.vocabulaire import MODES_PARCOURS, Profession, Public, choix
from installation.fichiers import FORMATS, TAILLE_MAX, valider_fichier

# Paths of /installation/ that are not parcours.
SLUGS_RESERVES = {"contacts", "documents", "mon-plan"}


class Phase(models.TextChoices):
    """The phases of the parcours, in the order a professional (or a team) goes through them."""

    PREPARER = "preparer", "Préparer son projet"
    LIEU = "lieu", "Choisir son lieu d'exercice"
    ORDRE = "ordre", "S'inscrire à l'Ordre"
    ASSURANCE_MALADIE = "assurance-maladie", "S'enregistrer auprès de l'Assurance Maladie"
    URSSAF = "urssaf", "Protection sociale et URSSAF"
    FISCALITE = "fiscalite", "Fiscalité"
    LOCAUX = "locaux", "Locaux et équipement"
    COORDONNE = "coordonne", "Exercice coordonné"
    PREMIERS_MOIS = "premiers-mois", "Premiers mois"
    # A collective project (maison de santé, centre de santé) is not an individual
    # installation: its own phases, in its own order.
    EQUIPE = "equipe", "Réunir l'équipe et lire le territoire"
    PROJET_DE_SANTE = "projet-de-sante", "Écrire et faire valider le projet de santé"
    STRUCTURE = "structure", "Créer la structure juridique"
    FINANCEMENTS = "financements", "Financer les locaux et l'équipement"
    OUVERTURE = "ouverture", "Ouvrir et faire vivre la structure"
    # A centre de santé has a gestionnaire and salaried professionals, and opens on a
    # declaration to the ARS (no validation of its projet de santé): its own phases too.
    CDS_GESTIONNAIRE = "cds-gestionnaire", "Choisir le gestionnaire et lire le territoire"
    CDS_PROJET = "cds-projet", "Écrire le projet de santé et le règlement de fonctionnement"
    CDS_MOYENS = "cds-moyens", "Réunir les locaux, l'équipe salariée et le financement"
    CDS_DECLARATION = "cds-declaration", "Déclarer le centre à l'ARS avant d'ouvrir"
    CDS_FONCTIONNEMENT = (
        "cds-fonctionnement",
        "Ouvrir, adhérer à l'accord national et rendre compte",
    )


def _publics(**kwargs):
    return ArrayField(
        models.CharField(max_length=30, choices=Public.choices),
        default=list,
        blank=True,
        verbose_name="publics",
        **kwargs,
    )


# -- territory shared by every content model ---------------------------------------------


class TerritoireQuerySet(models.QuerySet):
    def nationaux(self):
        return self.filter(region__isnull=True, departement__isnull=True)

    def pour_departement(self, departement: Departement | None):
        """National content, plus the content of the département and of its region."""
        if departement is None:
            return self.nationaux()
        return self.filter(
            Q(region__isnull=True, departement__isnull=True)
            | Q(region_id=departement.region_id)
            | Q(departement=departement)
        )

    def pour_region(self, region: Region, *, avec_national: bool = False):
        q = Q(region=region) | Q(departement__region=region)
        if avec_national:
            q |= Q(region__isnull=True, departement__isnull=True)
        return self.filter(q)


# -- parcours and steps ---------------------------------------------------------------------


class ParcoursQuerySet(TerritoireQuerySet, PublicationQuerySet):
    def pour_public(self, public: str):
        return self.filter(publics__contains=[public])

    def avec_nombre_etapes(self):
        return self.annotate(nombre_etapes=Count("etapes", distinct=True))


class Parcours(Publiable, Territorial):
    slug = models.SlugField(max_length=100, unique=True)
    titre = models.CharField(max_length=200)
    profession = models.CharField(
        max_length=30,
        choices=Profession.choices,
        help_text="« Autre profession » pour un projet d'équipe (maison de santé).",
    )
    mode_exercice = models.CharField(
        "mode d'exercice", max_length=20, choices=choix(MODES_PARCOURS)
    )
    introduction = models.TextField(help_text="Markdown ; le HTML est filtré avant affichage.")
    publics = _publics(help_text="Espaces où ce parcours est proposé.")
    ordre = models.PositiveIntegerField(default=0)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = ParcoursQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "parcours"
        ordering = ["ordre", "titre"]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("installation:parcours", args=[self.slug])

    def clean(self):
        super().clean()
        if self.slug in SLUGS_RESERVES:
            raise ValidationError({"slug": "Cette adresse est réservée : choisissez-en une autre."})

    def etapes_pour(self, departement: Departement | None):
        """The steps a professional of this département follows, in order (with what their
        cards show: the organisation, and the territory of a local step)."""
        return (
            self.etapes.pour_departement(departement)
            .select_related("organisation", "region", "departement")
            .order_by("ordre", "pk")
        )

    def documents_pour(self, departement: Departement | None = None):
        """Documents of the parcours or of one of its steps (the "whole file" ZIP)."""
        return (
            Document.objects.publies()
            .filter(Q(parcours=self) | Q(etapes__parcours=self))
            .pour_departement(departement)
            .distinct()
            .order_by("titre", "pk")
        )


class EtapeQuerySet(TerritoireQuerySet):
    pass


class Etape(Territorial):
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="etapes")
    phase = models.CharField(max_length=30, choices=Phase.choices)
    ordre = models.PositiveIntegerField(default=0)
    slug = models.SlugField(max_length=100)
    titre = models.CharField(max_length=250)
    description = models.TextField(
        "ce qu'il faut faire", help_text="Markdown ; le HTML est filtré avant affichage."
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="qui s'en occupe",
        on_delete=models.PROTECT,
        related_name="etapes",
    )
    pieces = models.TextField("pièces à fournir", blank=True, help_text="Markdown (une liste).")
    duree = models.CharField("durée ou délai indicatif", max_length=250, blank=True)
    service_en_ligne = models.URLField("service en ligne", max_length=500, blank=True)
    aides = models.ManyToManyField(Aide, blank=True, related_name="etapes")
    obligatoire = models.BooleanField(default=False)

    objects = EtapeQuerySet.as_manager()

    class Meta:
        verbose_name = "étape"
        ordering = ["parcours", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["parcours", "slug"], name="etape_slug_unique")
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("installation:etape", args=[self.parcours.slug, self.slug])


# -- partner directory ----------------------------------------------------------------------


class ContactQuerySet(models.QuerySet):
    def pour_departement(self, departement):
        return self.filter(departement=departement)

    def pour_profession(self, profession: str):
        """Contacts a professional of this profession deals with: the organisations of the
        profession's parcours steps, and the organisations no parcours names (shared ones)."""
        etapes = Etape.objects.exclude(organisation__isnull=True)
        return self.filter(
            Q(
                organisation__in=etapes.filter(parcours__profession=profession).values(
                    "organisation"
                )
            )
            | ~Q(organisation__in=etapes.values("organisation"))
        )

    def pour_liste(self):
        return self.select_related("organisation", "departement").order_by(
            "organisation__nom", "ordre", "intitule"
        )


class Contact(models.Model):
    """The local office of an organisation in a département: who to call, for what."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    intitule = models.CharField("intitulé", max_length=200)
    pour_quoi = models.TextField("pour quoi l'appeler", blank=True)
    adresse = models.TextField(blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    courriel = models.EmailField(blank=True)
    horaires = models.CharField("horaires d'ouverture", max_length=250, blank=True)
    site = models.URLField("site internet", blank=True)
    fictif = models.BooleanField(
        "coordonnées de démonstration",
        default=False,
        help_text="Coordonnées inventées pour la démonstration : signalées comme telles.",
    )
    ordre = models.PositiveIntegerField(default=0)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["departement", "organisation__nom", "ordre", "intitule"]

    def __str__(self):
        return f"{self.intitule} ({self.departement_id})"


# -- documents ------------------------------------------------------------------------------


def chemin_document(instance, filename):
    """A random storage name: nothing from the uploader reaches the file system."""
    extension = FORMATS[instance.format]["extensions"][0] if instance.format else ""
    return f"installation/documents/{secrets.token_urlsafe(18)}{extension}"


class DocumentQuerySet(TerritoireQuerySet, PublicationQuerySet):
    def pour_liste(self):
        return self.select_related("region", "departement")

    def pour_public(self, public: str):
        return self.filter(publics__contains=[public])


class Document(Publiable, Territorial):
    class Type(models.TextChoices):
        LISTE = "liste", "Liste de contrôle"
        FORMULAIRE = "formulaire", "Formulaire"
        GUIDE = "guide", "Guide"
        MODELE = "modele", "Modèle de document"
        TABLEUR = "tableur", "Tableau de données"
        AUTRE = "autre", "Autre document"

    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    fichier = models.FileField(
        upload_to=chemin_document,
        max_length=200,
        validators=[valider_fichier],
        help_text=f"PDF, ODT, DOCX, XLSX, CSV, PNG ou JPEG ; {TAILLE_MAX // 1024 // 1024} Mo au "
        "plus. Le contenu du fichier est vérifié, pas seulement son extension.",
    )
    nom_fichier = models.CharField("nom du fichier téléchargé", max_length=120, editable=False)
    format = models.CharField(
        max_length=10, choices=[(k, v["libelle"]) for k, v in FORMATS.items()], editable=False
    )
    taille = models.PositiveIntegerField("taille (octets)", default=0, editable=False)
    type = models.CharField(max_length=20, choices=Type.choices)
    date = models.DateField(default=timezone.localdate, help_text="Date de la version.")
    parcours = models.ManyToManyField(Parcours, blank=True, related_name="documents")
    etapes = models.ManyToManyField(
        Etape, verbose_name="étapes", blank=True, related_name="documents"
    )
    aides = models.ManyToManyField(Aide, blank=True, related_name="documents")
    publics = _publics(help_text="Espaces où ce document est proposé.")
    ajoute_le = models.DateTimeField("ajouté le", auto_now_add=True)
    modifie_le = models.DateTimeField("mis à jour le", auto_now=True, null=True)

    objects = DocumentQuerySet.as_manager()
    # The reader's own dated timetable, set by services.documents_relier_plans on a page.
    plan_csv = ""

    class Meta:
        ordering = ["titre"]

    def __str__(self):
        return self.titre

    def save(self, *args, **kwargs):
        from installation.fichiers import detecter_format

        remplace = None
        if self.fichier and not self.fichier._committed:
            # A new upload (already validated): record what it really is.
            self.format = detecter_format(self.fichier) or ""
            self.taille = self.fichier.size
            if self.pk:
                remplace = Document.objects.filter(pk=self.pk).values_list("fichier", flat=True)
                remplace = remplace.first()
        if self.format and self.titre:
            extension = FORMATS[self.format]["extensions"][0]
            self.nom_fichier = f"{slugify(self.titre)[:100] or 'document'}{extension}"
        super().save(*args, **kwargs)
        if remplace and remplace != self.fichier.name:
            self.fichier.storage.delete(remplace)

    def get_absolute_url(self):
        return reverse("installation:document_telecharger", args=[self.pk, self.nom_fichier])

    @property
    def type_mime(self) -> str:
        return FORMATS[self.format]["mime"]

    @property
    def extension(self) -> str:
        return Path(self.nom_fichier).suffix.lstrip(".").upper()


@receiver(post_delete, sender=Document)
def _supprimer_le_fichier(sender, instance, **kwargs):
    """A deleted document leaves no file behind (admin bulk deletes included)."""
    if instance.fichier:
        instance.fichier.storage.delete(instance.fichier.name)


# -- personal plans -------------------------------------------------------------------------


class Plan(models.Model):
    """A user's own installation plan: a parcours followed for a commune."""

    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans_installation"
    )
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="plans")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "plan d'installation"
        verbose_name_plural = "plans d'installation"
        ordering = ["-modifie_le"]
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "parcours"], name="plan_unique")
        ]

    def __str__(self):
        return f"{self.parcours} {grammaire.a_commune(self.commune.nom)}"

    def get_absolute_url(self):
        return reverse("installation:plan", args=[self.pk])

    def etapes(self, etapes: list | None = None):
        """The plan's steps, each with its follow-up: ``fait``, ``date_suivi``, ``note_suivi``.
        ``etapes``: the parcours' steps for the plan's département, when the caller keeps them
        (copies are annotated: the list given is left as it is)."""
        if etapes is None:
            etapes = list(self.parcours.etapes_pour(self.commune.departement))
        # Only the follow-ups: the plan's page, PDF and CSV show no step's documents or aids.
        suivis = {s.etape_id: s for s in SuiviEtape.objects.filter(plan=self)}
        suivies = []
        for modele in etapes:
            etape, suivi = copy.copy(modele), suivis.get(modele.pk)
            etape.parcours = self.parcours
            etape.fait = bool(suivi and suivi.fait)
            etape.date_suivi = suivi.date if suivi else None
            etape.note_suivi = suivi.note if suivi else ""
            suivies.append(etape)
        return suivies


class SuiviEtape(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="suivis")
    etape = models.ForeignKey(
        Etape, on_delete=models.CASCADE, related_name="suivis", verbose_name="étape"
    )
    fait = models.BooleanField(default=False)
    date = models.DateField(
        null=True, blank=True, help_text="Date prévue, ou date à laquelle c'est fait."
    )
    note = models.TextField(blank=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "suivi d'étape"
        verbose_name_plural = "suivis d'étapes"
        constraints = [models.UniqueConstraint(fields=["plan", "etape"], name="suivi_etape_unique")]

    def __str__(self):
        return f"{self.etape} : {'fait' if self.fait else 'à faire'}"


# -- events and news ------------------------------------------------------------------------


class EvenementQuerySet(TerritoireQuerySet):
    def publies(self):
        return self.filter(publie=True)

    def a_venir(self, maintenant=None):
        maintenant = maintenant or timezone.now()
        return self.filter(Q(fin__gte=maintenant) | Q(fin__isnull=True, debut__gte=maintenant))

    def pour_public(self, public: str):
        return self.filter(Q(publics=[]) | Q(publics__contains=[public]))

    def pour_liste(self):
        return self.select_related("region", "departement__region").order_by("debut", "pk")


class Evenement(Territorial):
    class Type(models.TextChoices):
        FORUM = "forum", "Forum des carrières"
        ACCUEIL_INTERNES = "accueil-internes", "Accueil des nouveaux internes"
        RENCONTRE = "rencontre", "Rencontre professionnels et territoires (« Généraliste dating »)"
        SALON = "salon", "Salon"
        REUNION = "reunion", "Réunion d'information"
        AUTRE = "autre", "Autre"

    titre = models.CharField(max_length=200)
    type = models.CharField(max_length=30, choices=Type.choices)
    description = models.TextField(help_text="Markdown ; le HTML est filtré avant affichage.")
    debut = models.DateTimeField("début")
    fin = models.DateTimeField(null=True, blank=True)
    lieu = models.CharField(max_length=250, help_text="Lieu et adresse, ou « En ligne ».")
    publics = _publics(help_text="Aucun : tous les publics.")
    lien_inscription = models.URLField("lien d'inscription", max_length=500, blank=True)
    publie = models.BooleanField("publié", default=True)
    fictif = models.BooleanField(
        "démonstration", default=False, help_text="Événement inventé pour la démonstration."
    )
    cree_le = models.DateTimeField(auto_now_add=True, verbose_name="créé le")
    modifie_le = models.DateTimeField(auto_now=True, verbose_name="modifié le")

    objects = EvenementQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["debut"]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("agenda:evenement", args=[self.pk])

    def clean(self):
        super().clean()
        if self.fin and self.debut and self.fin < self.debut:
            raise ValidationError({"fin": "La fin doit suivre le début."})


class ActualiteQuerySet(TerritoireQuerySet):
    def publiees(self, jour=None):
        return self.filter(publiee_le__lte=jour or timezone.localdate())


class Actualite(Territorial):
    titre = models.CharField(max_length=200)
    texte = models.TextField(help_text="Quelques lignes ; Markdown filtré.")
    publiee_le = models.DateField("publiée le", default=timezone.localdate)
    lien = models.URLField("en savoir plus", max_length=500, blank=True)
    publics = _publics(help_text="Aucun : tous les publics.")
    fictif = models.BooleanField("démonstration", default=False)

    objects = ActualiteQuerySet.as_manager()

    class Meta:
        verbose_name = "actualité"
        ordering = ["-publiee_le", "-pk"]

    def __str__(self):
        return self.titre


# -- maisons and centres de santé (FINESS) -------------------------------------------------


class CategorieStructure(models.TextChoices):
    """FINESS establishment categories (ANS nomenclature TRE-R66-CategorieEtablissement,
    https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/): 603 "Maison de santé
    (L.6223-3)", 124 "Centre de Santé". 604 (CPTS) is a network, not a place: not listed."""

    MSP = "603", "Maison de santé pluriprofessionnelle"
    CDS = "124", "Centre de santé"


class StructureQuerySet(models.QuerySet):
    def pour_liste(self):
        return self.select_related("commune")

    def pres_de(self, commune: Commune, rayon_km: float):
        """Structures within ``rayon_km`` of the commune, nearest first, with ``distance_km``
        (the commune's own structures only, at distance 0, when it has no position)."""
        if not commune.situee:
            return self.filter(commune=commune).annotate(
                distance_km=models.Value(0.0, output_field=models.FloatField())
            )
        return geo.filtrer_rayon(self, commune.latitude, commune.longitude, rayon_km).order_by(
            "distance_km", "nom"
        )

    def pour_annonce(self, commune: Commune, rayon_km: float = 30):
        """The structures a post in ``commune`` may name as its host: those of its département
        and those within ``rayon_km`` (across a border), by name."""
        proches = self.pres_de(commune, rayon_km).values("pk")
        return self.filter(Q(commune__departement=commune.departement_id) | Q(pk__in=proches))


class Structure(models.Model):
    """A maison de santé pluriprofessionnelle or a centre de santé, from the FINESS extract
    (``import_finess``), or a fictitious one of the demo."""

    Categorie = CategorieStructure

    finess = models.CharField(
        "n° FINESS", max_length=9, blank=True, help_text="Numéro FINESS de l'établissement."
    )
    categorie = models.CharField("catégorie", max_length=3, choices=CategorieStructure.choices)
    nom = models.CharField(max_length=200)
    adresse = models.CharField(max_length=300, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    ouverte_le = models.DateField("ouverte le", null=True, blank=True)
    # WGS 84. From FINESS's geocoded address when it is given in Lambert-93 (metropolitan
    # France), otherwise the commune's centroid (``position_adresse`` false).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    position_adresse = models.BooleanField("position à l'adresse", default=False)
    fictive = models.BooleanField(
        "structure de démonstration",
        default=False,
        help_text="Structure inventée pour la démonstration : signalée comme telle.",
    )

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "maison ou centre de santé"
        verbose_name_plural = "maisons et centres de santé"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["finess"], condition=~Q(finess=""), name="structure_finess_unique"
            )
        ]
        indexes = [models.Index(fields=["latitude", "longitude"], name="structure_position_idx")]

    def __str__(self):
        return f"{self.nom} ({self.commune.nom})" if self.commune_id else self.nom
