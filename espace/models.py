"""The staff side: questions to the referent, accompanied professionals, daily counters."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from guichet import scoping
from guichet.fuseaux import fuseau_de, nom_fuseau
from guichet.models import Commune, Departement, Region
from guichet.territorial import Territorial
from guichet.vocabulaire import Profession, Situation
from rendezvous.models import RendezVous


class PerimetreQuerySet(models.QuerySet):
    def pour_perimetre(self, user):
        """The rows inside a staff user's territory (nothing for anyone else)."""
        return scoping.dans_le_perimetre(self, user)


class Territorialise(Territorial):
    """A staff row about a place: its département is required, its région follows."""

    REGION_DU_DEPARTEMENT = True

    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def fuseau(self) -> ZoneInfo:
        """Times of the item are read in its region's zone (Martinique's questions at
        Martinique time), whoever looks at them."""
        return fuseau_de(self.region)

    @property
    def nom_fuseau(self) -> str:
        return nom_fuseau(self.fuseau)


# -- questions ---------------------------------------------------------------------------------


class QuestionQuerySet(PerimetreQuerySet):
    def ouvertes(self):
        return self.filter(statut__in=[Question.Statut.NOUVELLE, Question.Statut.EN_COURS])

    def en_retard(self, jour: datetime.date | None = None):
        return self.ouvertes().filter(echeance__lt=jour or timezone.localdate())

    def pour_boite(self):
        return self.pour_liste().select_related("accompagnement")

    def pour_liste(self):
        """What the inbox's rows show: territory, commune, referent (not the follow-up)."""
        return self.select_related("region", "departement", "commune", "referent")


class Question(Territorialise):
    class Statut(models.TextChoices):
        NOUVELLE = "nouvelle", "Nouvelle"
        EN_COURS = "en-cours", "En cours"
        REPONDUE = "repondue", "Répondue"
        CLOSE = "close", "Close"

    profession = models.CharField(max_length=30, choices=Profession.choices)
    situation = models.CharField(max_length=30, choices=Situation.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sujet = models.CharField(max_length=200)
    message = models.TextField(max_length=5000)
    courriel = models.EmailField("adresse électronique")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="attribuée à",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions_attribuees",
    )
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.NOUVELLE)
    recue_le = models.DateTimeField("reçue le", default=timezone.now)
    echeance = models.DateField("à traiter avant le")
    premiere_reponse_le = models.DateTimeField("première réponse le", null=True, blank=True)
    close_le = models.DateTimeField("close le", null=True, blank=True)
    accompagnement = models.ForeignKey(
        "Accompagnement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    anonymisee_le = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name="anonymisée le"
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-recue_le"]
        indexes = [models.Index(fields=["departement", "statut"], name="question_dep_statut_idx")]

    def __str__(self):
        return self.sujet

    def get_absolute_url(self):
        return reverse("espace:question", args=[self.pk])

    @property
    def en_retard(self) -> bool:
        return self.statut in {self.Statut.NOUVELLE, self.Statut.EN_COURS} and (
            self.echeance < timezone.localdate()
        )

    # State changes: each checks the current state.
    def prendre_en_charge(self, agent) -> None:
        if self.statut != self.Statut.NOUVELLE:
            raise ValidationError("Seule une question nouvelle peut être prise en charge.")
        self.assigner(agent)
        self.statut = self.Statut.EN_COURS

    def assigner(self, agent) -> None:
        if self.statut == self.Statut.CLOSE:
            raise ValidationError("Une question close ne peut plus être attribuée.")
        if not scoping.couvre(agent, self):
            raise ValidationError("Cette personne ne couvre pas le territoire de la question.")
        self.referent = agent

    def marquer_repondue(self, maintenant=None) -> None:
        if self.statut == self.Statut.CLOSE:
            raise ValidationError("La question est close : rouvrez-la pour répondre.")
        maintenant = maintenant or timezone.now()
        self.statut = self.Statut.REPONDUE
        self.premiere_reponse_le = self.premiere_reponse_le or maintenant

    def clore(self, maintenant=None) -> None:
        if self.statut == self.Statut.CLOSE:
            raise ValidationError("La question est déjà close.")
        self.statut = self.Statut.CLOSE
        self.close_le = maintenant or timezone.now()

    def rouvrir(self) -> None:
        if self.statut not in {self.Statut.REPONDUE, self.Statut.CLOSE}:
            raise ValidationError("Seule une question répondue ou close peut être rouverte.")
        self.statut = self.Statut.EN_COURS
        self.close_le = None


class MessageQuestion(models.Model):
    """The thread of a question: the person's message, then each answer sent."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    texte = models.TextField(max_length=10000)
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)
    envoi_reussi = models.BooleanField("courriel envoyé", default=True)

    class Meta:
        ordering = ["envoye_le", "pk"]
        verbose_name = "message"

    def __str__(self):
        return f"{self.question} — {self.envoye_le:%d/%m/%Y %H:%M}"


# -- accompanied professionals -----------------------------------------------------------------


class AccompagnementQuerySet(PerimetreQuerySet):
    def en_cours(self):
        return self.filter(
            etape__in=[Accompagnement.Etape.PREMIER_CONTACT, Accompagnement.Etape.PROJET]
        )

    def installes(self):
        return self.filter(etape=Accompagnement.Etape.INSTALLE)

    def pour_liste(self):
        return self.select_related("departement", "commune_cible", "referent")

    def recherche(self, q: str):
        q = (q or "").strip()
        if not q:
            return self
        return self.filter(
            Q(nom__icontains=q)
            | Q(courriel__icontains=q)
            | Q(commune_cible__nom__icontains=q)
            | Q(notes__icontains=q)
        )


class Accompagnement(Territorialise):
    """One professional followed by the team, from first contact to installation."""

    class Etape(models.TextChoices):
        PREMIER_CONTACT = "premier-contact", "Premier contact"
        PROJET = "projet", "Projet en cours"
        INSTALLE = "installe", "Installé"
        ABANDONNE = "abandonne", "Abandonné"
        PARTI = "parti", "Parti"

    nom = models.CharField(max_length=150)
    courriel = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompagnements",
    )
    profession = models.CharField(max_length=30, choices=Profession.choices)
    commune_cible = models.ForeignKey(
        Commune,
        verbose_name="commune envisagée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    etape = models.CharField(
        "étape", max_length=20, choices=Etape.choices, default=Etape.PREMIER_CONTACT
    )
    premier_contact_le = models.DateField("premier contact le", default=timezone.localdate)
    installe_le = models.DateField("installé le", null=True, blank=True)
    commune_installation = models.ForeignKey(
        Commune,
        verbose_name="commune d'installation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    aides = models.ManyToManyField(
        "aides.Aide", verbose_name="aides obtenues", blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        "installation.Plan",
        verbose_name="plan d'installation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompagnements_suivis",
    )
    notes = models.TextField("notes privées", blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    anonymise_le = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name="anonymisé le"
    )

    objects = AccompagnementQuerySet.as_manager()

    class Meta:
        ordering = ["-premier_contact_le", "nom"]

    def __str__(self):
        return f"{self.nom} ({self.get_profession_display()})"

    def get_absolute_url(self):
        return reverse("espace:accompagnement", args=[self.pk])

    @property
    def jours_jusqu_installation(self) -> int | None:
        if self.installe_le:
            return (self.installe_le - self.premier_contact_le).days
        return None

    def changer_etape(self, etape: str, *, par=None, le=None, commune=None) -> "ChangementEtape":
        """Move to another stage; installing needs a commune and a date on or after first contact.

        The caller saves the accompaniment and the returned history row (services do both).
        """
        le = le or timezone.localdate()
        if etape not in self.Etape.values:
            raise ValidationError("Étape inconnue.")
        if etape == self.etape:
            raise ValidationError("L'accompagnement est déjà à cette étape.")
        if le < self.premier_contact_le:
            raise ValidationError("La date ne peut précéder le premier contact.")
        if le > timezone.localdate():
            raise ValidationError("La date ne peut être dans le futur.")
        if etape == self.Etape.INSTALLE:
            commune = commune or self.commune_installation or self.commune_cible
            if commune is None:
                raise ValidationError("Indiquez la commune d'installation.")
            self.installe_le, self.commune_installation = le, commune
        elif self.etape == self.Etape.INSTALLE and etape != self.Etape.PARTI:
            # Correcting a mistaken installation: it no longer counts.
            self.installe_le = None
            self.commune_installation = None
        ancienne, self.etape = self.etape, etape
        return ChangementEtape(accompagnement=self, de=ancienne, vers=etape, le=le, par=par)

    def rendezvous(self, user):
        """The person's meetings that ``user`` may read, matched by account or e-mail.

        Scoped like the meetings' own lists (``scoping.lecture``): an e-mail typed on an
        accompaniment never reveals meetings booked in another territory, nor whether any exist.
        """
        q = Q(pk__in=[])
        if self.utilisateur_id:
            q |= Q(utilisateur_id=self.utilisateur_id)
        if self.courriel:
            q |= Q(courriel__iexact=self.courriel)
        return scoping.lecture(
            RendezVous.objects.filter(q)
            .select_related("motif", "lieu__departement__region")
            .order_by("-debut"),
            user,
        )


class ChangementEtape(models.Model):
    """The history of stages: each change, its date and who recorded it."""

    accompagnement = models.ForeignKey(
        Accompagnement, on_delete=models.CASCADE, related_name="changements"
    )
    de = models.CharField(max_length=20, choices=Accompagnement.Etape.choices, blank=True)
    vers = models.CharField(max_length=20, choices=Accompagnement.Etape.choices)
    le = models.DateField("date")
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enregistre_le = models.DateTimeField(auto_now_add=True, verbose_name="enregistré le")

    class Meta:
        ordering = ["le", "enregistre_le"]
        verbose_name = "changement d'étape"
        verbose_name_plural = "changements d'étape"

    def __str__(self):
        return f"{self.get_de_display()} → {self.get_vers_display()} le {self.le:%d/%m/%Y}"


# -- anonymous daily counters ------------------------------------------------------------------


class CompteurJournalier(models.Model):
    """Server-side counts of page uses per day and territory: no cookie, no personal data."""

    class Indicateur(models.TextChoices):
        SIMULATION = "simulation", "Simulations d'aides"
        AIDE_VUE = "aide-vue", "Pages d'aides consultées"

    jour = models.DateField()
    indicateur = models.CharField(max_length=20, choices=Indicateur.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="région",
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    nombre = models.PositiveIntegerField(default=0)

    objects = PerimetreQuerySet.as_manager()

    class Meta:
        verbose_name = "compteur journalier"
        verbose_name_plural = "compteurs journaliers"
        constraints = [
            models.UniqueConstraint(
                fields=["jour", "indicateur", "region", "departement"],
                name="compteur_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.get_indicateur_display()} {self.jour}: {self.nombre}"

    @classmethod
    def incrementer(cls, indicateur: str, *, departement=None, region=None, jour=None) -> None:
        """Add one now (the public pages add through ``guichet.cumuls``: ``cle``, ``ajouter``)."""
        cls.ajouter({cls.cle(indicateur, departement=departement, region=region, jour=jour): 1})

    @staticmethod
    def cle(indicateur: str, *, departement=None, region=None, jour=None) -> tuple:
        """(day, indicator, region code, département code): a count's row, picklable."""
        if departement is not None:
            region_id, departement_id = departement.region_id, departement.pk
        else:
            region_id, departement_id = (region.pk if region else None), None
        return (jour or timezone.localdate(), indicateur, region_id, departement_id)

    @classmethod
    def ajouter(cls, sommes: dict[tuple, int]) -> None:
        """Add each ``n`` to its row ``{cle: n}``, in one upsert (safe under concurrent writers:
        every process adds its own sums)."""
        if not sommes:
            return
        table = cls._meta.db_table
        valeurs = ", ".join(["(%s, %s, %s, %s, %s)"] * len(sommes))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (jour, indicateur, region_id, departement_id, nombre) "
                f"VALUES {valeurs} ON CONFLICT ON CONSTRAINT compteur_unique "
                f"DO UPDATE SET nombre = {table}.nombre + EXCLUDED.nombre",
                [v for cle, n in sorted(sommes.items(), key=repr) for v in (*cle, n)],
            )


class AvertissementInactivite(models.Model):
    """When an inactive account was warned of its coming deletion (RGPD retention)."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="avertissement_inactivite"
    )
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "avertissement d'inactivité"
        verbose_name_plural = "avertissements d'inactivité"

    def __str__(self):
        return f"{self.utilisateur} — {self.envoye_le:%d/%m/%Y}"
