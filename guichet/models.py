from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.db.models import Q
from django.urls import reverse

from guichet import geo
from guichet.publication import Publiable, PublicationQuerySet
from guichet.text import MotsFunc, NormaliseFunc, normalise_python
from guichet.vocabulaire import Profession, Public, Situation

# The ARS regions and their IANA time zones (opening hours are wall-clock times there).
FUSEAUX_REGIONS = {
    "01": "America/Guadeloupe",
    "02": "America/Martinique",
    "03": "America/Cayenne",
    "04": "Indian/Reunion",
    "06": "Indian/Mayotte",
}
FUSEAU_PAR_DEFAUT = "Europe/Paris"


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    fuseau_horaire = models.CharField("fuseau horaire", max_length=40, default=FUSEAU_PAR_DEFAUT)
    outre_mer = models.BooleanField("outre-mer", default=False)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name="région"
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class CommuneQuerySet(models.QuerySet):
    def recherche(self, q: str, limite: int = 20):
        """Communes matching a name (ignoring case, accents, hyphens, Saint/St) or a postal code.

        Names: the whole name first, then names starting with the text, then names with words
        starting with its words, then names holding it inside a word; by population within each.
        """
        q = (q or "").replace("\x00", "").strip()  # PostgreSQL text never holds a NUL byte
        if not q:
            return self.none()
        if q.isdigit() or (len(q) == 5 and q[:2].upper() in {"2A", "2B"}):
            # Digits are a postal code first: 97232 is Le Lamentin's postal code and Le
            # Vauclin's INSEE code. The INSEE code only answers when no postal code does.
            postaux = self.filter(
                Q(codes_postaux__contains=[q]) | Q(codes_postaux_prefixe__startswith=q)
            )
            if len(q) == 5 and not postaux.exists():
                postaux = self.filter(code=q.upper())
            return postaux.order_by(models.F("population").desc(nulls_last=True), "nom")[:limite]
        terme = NormaliseFunc(models.Value(q))
        qs = self.annotate(terme=terme).filter(nom_normalise__contains=models.F("terme"))
        ordre = ("rang", models.F("population").desc(nulls_last=True), "nom")
        rang = models.Case(
            models.When(nom_normalise=models.F("terme"), then=0),
            models.When(nom_normalise__startswith=models.F("terme"), then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        mots = normalise_python(q).split()
        if not mots:  # only punctuation: every name would "contain" it
            return self.none()
        # Names whose words start with the words typed, found through the GIN index, come
        # first (whole name, then its beginning, then its words); a match inside a word
        # ("tienne" in "etienne") only completes a short list, from a scan of every name.
        requete = SearchQuery(
            " & ".join(f"{m}:*" for m in mots), search_type="raw", config="simple"
        )
        ids = list(
            qs.annotate(mots=MotsFunc("nom_normalise"), rang=rang)
            .filter(mots=requete)
            .order_by(*ordre)
            .values_list("pk", flat=True)[:limite]
        )
        if len(ids) < limite:
            ids += list(
                qs.exclude(pk__in=ids)
                .order_by(models.F("population").desc(nulls_last=True), "nom")
                .values_list("pk", flat=True)[: limite - len(ids)]
            )
        position = models.Func(
            models.Value(ids, output_field=ArrayField(models.CharField())),
            models.F("pk"),
            function="array_position",
            output_field=models.IntegerField(),
        )
        return self.filter(pk__in=ids).annotate(rang=position).order_by("rang")

    def autour(self, latitude: float, longitude: float, rayon_km: float):
        """Communes whose centroid lies within ``rayon_km`` of the point, with ``distance_km``:
        the indexed bounding box first, then the great-circle distance (guichet.geo)."""
        return geo.filtrer_rayon(self, latitude, longitude, rayon_km)


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=150)
    nom_normalise = models.GeneratedField(
        expression=NormaliseFunc("nom"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="nom normalisé",
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    codes_postaux = ArrayField(models.CharField(max_length=5), default=list, blank=True)
    # First postal code, for prefix search ("790" finds Niort's 79000).
    codes_postaux_prefixe = models.CharField(
        max_length=5, blank=True, default="", verbose_name="préfixe des codes postaux"
    )
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    # Centroid of the commune's outline (WGS 84), derived from fixtures/geo/ by the territory
    # import (guichet.geo); None for the few communes without an outline.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        indexes = [
            models.Index(
                fields=["nom_normalise"],
                name="commune_nom_normalise_idx",
                opclasses=["text_pattern_ops"],
            ),
            models.Index(fields=["codes_postaux_prefixe"], name="commune_cp_idx"),
            # "codes_postaux @> {79000}" (forms, search): a sequential scan of 35k rows without it
            GinIndex(fields=["codes_postaux"], name="commune_codes_postaux_idx"),
            # The words of the name, for a search by word beginnings (CommuneQuerySet.recherche)
            GinIndex(MotsFunc("nom_normalise"), name="commune_mots_idx"),
            # The bounding box of a radius search (guichet.geo.filtrer_rayon)
            models.Index(fields=["latitude", "longitude"], name="commune_position_idx"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.departement_id})"

    @property
    def libelle(self) -> str:
        """How a commune is named to people: name, département, postal code(s), never the
        INSEE code as if it were a postal code. Ends with a postal code, which CommuneField
        reads back (the INSEE code only for a commune without postal code)."""
        codes = self.codes_postaux or [self.code]
        return f"{self.nom} — {self.departement.nom} ({self.departement_id}), {', '.join(codes)}"

    @property
    def region_id(self):
        return self.departement.region_id

    @property
    def situee(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class JeuDeDonnees(models.Model):
    """The version (content hash) of a bundled data set last loaded: makes loads idempotent."""

    nom = models.CharField(max_length=100, unique=True)
    empreinte = models.CharField(max_length=64)
    charge_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jeu de données chargé"
        verbose_name_plural = "jeux de données chargés"

    def __str__(self):
        return self.nom


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("perimetre_national", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: e-mail as login, a profile, and for staff a territorial scope."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)

    profession = models.CharField(max_length=30, choices=Profession.choices, blank=True)
    specialite = models.CharField(
        "spécialité", max_length=100, blank=True, help_text="Pour les médecins spécialistes."
    )
    situation = models.CharField(max_length=30, choices=Situation.choices, blank=True)
    departement_interet = models.ForeignKey(
        Departement,
        verbose_name="département qui m'intéresse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    commune_interet = models.ForeignKey(
        Commune,
        verbose_name="commune qui m'intéresse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Territorial scope of staff users (see guichet.scoping).
    perimetre_national = models.BooleanField(
        "périmètre national",
        default=False,
        help_text="Peut gérer les contenus de tout le territoire et les contenus nationaux.",
    )
    regions = models.ManyToManyField(
        Region, verbose_name="régions gérées", blank=True, related_name="agents"
    )
    departements = models.ManyToManyField(
        Departement, verbose_name="départements gérés", blank=True, related_name="agents"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").lower()
        super().save(*args, **kwargs)


class PageEditoriale(Publiable):
    """Staff-edited text: the footer's mandatory pages and the audience pages' introductions."""

    class Cle(models.TextChoices):
        PLAN_DU_SITE = "plan-du-site", "Plan du site (introduction)"
        ACCESSIBILITE = "accessibilite", "Déclaration d'accessibilité"
        MENTIONS_LEGALES = "mentions-legales", "Mentions légales"
        DONNEES_PERSONNELLES = "donnees-personnelles", "Données personnelles"
        COOKIES = "cookies", "Gestion des cookies"
        ACCUEIL = "accueil", "Page d'accueil (introduction)"
        PROFESSIONNELS = Public.PROFESSIONNELS.value, "Espace professionnels de santé"
        ETUDIANTS = Public.ETUDIANTS.value, "Espace étudiants et internes"
        ELUS = Public.ELUS.value, "Espace élus et collectivités"
        PORTEURS = Public.PORTEURS.value, "Espace porteurs de projet"

    cle = models.CharField("page", max_length=40, choices=Cle.choices, unique=True)
    titre = models.CharField(max_length=200)
    chapo = models.TextField("chapeau", blank=True, help_text="Une ou deux phrases d'introduction.")
    contenu = models.TextField(
        blank=True,
        help_text="Texte au format Markdown. Le HTML est filtré avant affichage.",
    )
    mis_a_jour_le = models.DateTimeField("mis à jour le", auto_now=True)
    mis_a_jour_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "page éditoriale"
        verbose_name_plural = "pages éditoriales"
        ordering = ["cle"]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse(f"guichet:{self.cle.replace('-', '_')}")


def chemin_import_en_attente(instance, filename):
    """A random name: the uploader's file name never reaches the storage."""
    return f"imports-en-attente/{instance.nature}/{instance.jeton}"


class ImportEnAttente(models.Model):
    """A file uploaded for an admin import and previewed, waiting for its confirmation.

    Keyed in the database and kept in the default storage (local or object storage), so that
    the confirmation may reach any app server; see guichet.imports_en_attente.
    """

    nature = models.CharField(max_length=40)
    jeton = models.CharField(max_length=64, unique=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fichier = models.FileField(upload_to=chemin_import_en_attente, max_length=200)
    nom_original = models.CharField("nom du fichier", max_length=255, blank=True)
    donnees = models.JSONField(default=dict, blank=True, verbose_name="données")
    depose_le = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "import en attente de confirmation"
        verbose_name_plural = "imports en attente de confirmation"

    def __str__(self):
        return f"{self.nature} {self.nom_original}"


class VersionContenu(models.Model):
    """A counter per content area, set by one PostgreSQL function (``guichet_version_contenu``)
    from statement-level triggers on every table of the area: admin, imports, shell and bulk
    updates alike. Pages key what they keep on it (see guichet.versions). The table keeps the
    name it was created under (migration aides 0003)."""

    cle = models.CharField(max_length=20, primary_key=True, verbose_name="clé")
    valeur = models.BigIntegerField(default=0)

    class Meta:
        db_table = "aides_versioncontenu"
        verbose_name = "version du contenu"

    def __str__(self):
        return f"{self.cle} : {self.valeur}"
