"""Meetings with the installation referent: opening hours, motifs, bookings, notifications.

The tables keep their names from the time this lived in ``installation`` (``db_table``).
"""

import datetime
import hashlib
import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils import timezone

from guichet.models import FUSEAU_PAR_DEFAUT, Commune, Departement
from guichet.vocabulaire import Profession, Situation


class Int8Range(models.Func):
    function = "int8range"
    output_field = models.TextField()  # only used inside the exclusion constraint


class TsTzRange(models.Func):
    function = "tstzrange"
    output_field = models.TextField()


def _jeton() -> str:
    return secrets.token_urlsafe(32)


def empreinte_jeton(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


class Referent(models.Model):
    """A staff member who meets professionals; covers one or more départements."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referent"
    )
    departements = models.ManyToManyField(
        Departement, related_name="referents", verbose_name="départements couverts"
    )
    presentation = models.TextField("présentation publique", blank=True)
    actif = models.BooleanField(default=True)
    jeton_agenda = models.CharField(
        "jeton du flux iCal privé", max_length=64, default=_jeton, editable=False
    )

    class Meta:
        db_table = "installation_referent"
        verbose_name = "référent installation"
        verbose_name_plural = "référents installation"
        ordering = ["utilisateur__last_name"]

    def __str__(self):
        return str(self.utilisateur)

    @property
    def nom(self) -> str:
        return self.utilisateur.get_full_name() or self.utilisateur.email

    @property
    def fuseau(self) -> ZoneInfo:
        """The time zone of the referent's region (all their départements share it)."""
        departement = self.departements.select_related("region").first()
        return ZoneInfo(departement.region.fuseau_horaire if departement else FUSEAU_PAR_DEFAUT)


class Lieu(models.Model):
    class Type(models.TextChoices):
        ADRESSE = "adresse", "Sur place"
        TELEPHONE = "telephone", "Par téléphone"
        VISIO = "visio", "En visioconférence"

    nom = models.CharField(max_length=150)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.ADRESSE)
    adresse = models.CharField(max_length=300, blank=True)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    consignes = models.TextField(
        blank=True, help_text="Accès, lien de visioconférence envoyé, numéro appelé…"
    )

    class Meta:
        db_table = "installation_lieu"
        verbose_name = "lieu de rendez-vous"
        verbose_name_plural = "lieux de rendez-vous"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class MotifRendezVous(models.Model):
    nom = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    duree_minutes = models.PositiveIntegerField("durée (minutes)", default=45)
    tampon_minutes = models.PositiveIntegerField(
        "battement après (minutes)", default=15, help_text="Temps libre réservé après chaque RDV."
    )
    delai_minimum_heures = models.PositiveIntegerField(
        "délai minimum de réservation (heures)", default=24
    )
    fenetre_jours = models.PositiveIntegerField("réservable jusqu'à (jours)", default=60)
    max_par_jour = models.PositiveIntegerField(
        "maximum par jour et par référent", null=True, blank=True
    )
    annulable = models.BooleanField("annulable par l'usager", default=True)
    annulable_jusqu_heures = models.PositiveIntegerField(
        "annulable jusqu'à (heures avant)", default=24
    )
    instructions = models.TextField(
        "consignes après réservation", blank=True, help_text="Pièces à préparer, etc."
    )
    actif = models.BooleanField(default=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "installation_motifrendezvous"
        verbose_name = "motif de rendez-vous"
        verbose_name_plural = "motifs de rendez-vous"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


class PlageOuverture(models.Model):
    """Recurring opening hours, as wall-clock times in the referent's region time zone."""

    class Jour(models.IntegerChoices):
        LUNDI = 0, "lundi"
        MARDI = 1, "mardi"
        MERCREDI = 2, "mercredi"
        JEUDI = 3, "jeudi"
        VENDREDI = 4, "vendredi"
        SAMEDI = 5, "samedi"
        DIMANCHE = 6, "dimanche"

    referent = models.ForeignKey(Referent, on_delete=models.CASCADE, related_name="plages")
    jours = ArrayField(models.PositiveSmallIntegerField(choices=Jour.choices))
    heure_debut = models.TimeField("de")
    heure_fin = models.TimeField("à")
    date_debut = models.DateField("à partir du")
    date_fin = models.DateField("jusqu'au", null=True, blank=True)
    toutes_les_n_semaines = models.PositiveSmallIntegerField("toutes les n semaines", default=1)
    motifs = models.ManyToManyField(MotifRendezVous, related_name="plages")
    lieu = models.ForeignKey(Lieu, on_delete=models.PROTECT, related_name="plages")

    class Meta:
        db_table = "installation_plageouverture"
        verbose_name = "plage d'ouverture"
        verbose_name_plural = "plages d'ouverture"
        constraints = [
            models.CheckConstraint(
                condition=Q(heure_fin__gt=F("heure_debut")),
                name="plage_heures_ordonnees",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
            models.CheckConstraint(
                condition=Q(toutes_les_n_semaines__gte=1), name="plage_frequence_positive"
            ),
        ]

    def __str__(self):
        jours = ", ".join(self.Jour(j).label for j in sorted(self.jours))
        return f"{jours} de {self.heure_debut:%H:%M} à {self.heure_fin:%H:%M}"

    def ouvre_le(self, jour: datetime.date) -> bool:
        if jour < self.date_debut or (self.date_fin and jour > self.date_fin):
            return False
        if jour.weekday() not in self.jours:
            return False
        semaines = (jour - self.date_debut).days // 7
        return semaines % self.toutes_les_n_semaines == 0


class Absence(models.Model):
    referent = models.ForeignKey(Referent, on_delete=models.CASCADE, related_name="absences")
    debut = models.DateTimeField("début")
    fin = models.DateTimeField()
    motif = models.CharField(max_length=150, blank=True)

    class Meta:
        db_table = "installation_absence"
        ordering = ["debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__gt=F("debut")),
                name="absence_ordonnee",
                violation_error_message="La fin de l'absence doit suivre son début.",
            )
        ]

    def __str__(self):
        return f"{self.referent} : {self.debut:%d/%m/%Y %H:%M} → {self.fin:%d/%m/%Y %H:%M}"


class RendezVousQuerySet(models.QuerySet):
    def actifs(self):
        return self.exclude(statut__in=RendezVous.STATUTS_ANNULES)

    def a_venir(self):
        return self.actifs().filter(debut__gte=timezone.now())


class RendezVous(models.Model):
    class Statut(models.TextChoices):
        CONFIRME = "confirme", "Confirmé"
        ANNULE_USAGER = "annule-usager", "Annulé par l'usager"
        ANNULE_REFERENT = "annule-referent", "Annulé par le référent"
        HONORE = "honore", "Honoré"
        ABSENT = "absent", "Absent"

    STATUTS_ANNULES = [Statut.ANNULE_USAGER, Statut.ANNULE_REFERENT]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referent = models.ForeignKey(Referent, on_delete=models.PROTECT, related_name="rendezvous")
    motif = models.ForeignKey(MotifRendezVous, on_delete=models.PROTECT, related_name="+")
    lieu = models.ForeignKey(Lieu, on_delete=models.PROTECT, related_name="+")
    debut = models.DateTimeField("début")
    fin = models.DateTimeField()
    fin_bloquee = models.DateTimeField("fin, battement compris")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.CONFIRME)
    nom = models.CharField(max_length=150)
    courriel = models.EmailField("adresse électronique")
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    profession = models.CharField(max_length=30, choices=Profession.choices, blank=True)
    situation = models.CharField(max_length=30, choices=Situation.choices, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True, max_length=1000)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rendezvous",
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    sequence = models.PositiveIntegerField(default=0, help_text="Version de l'invitation ICS.")
    jeton_empreinte = models.CharField(max_length=64, editable=False)
    rappel_envoye_le = models.DateTimeField(null=True, blank=True, editable=False)
    annule_le = models.DateTimeField(null=True, blank=True)
    anonymise_le = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RendezVousQuerySet.as_manager()

    class Meta:
        db_table = "installation_rendezvous"
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["debut"]
        constraints = [
            # No two active meetings of a referent overlap (buffer included). Ranges only:
            # core PostgreSQL has no btree_gist for an equality on the referent column.
            ExclusionConstraint(
                name="rendezvous_sans_chevauchement",
                expressions=[
                    (Int8Range(F("referent"), F("referent"), Value("[]")), RangeOperators.OVERLAPS),
                    (TsTzRange("debut", "fin_bloquee", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=~Q(statut__in=["annule-usager", "annule-referent"]),
                violation_error_message="Ce créneau vient d'être réservé, choisissez-en un autre.",
            ),
            models.UniqueConstraint(
                fields=["courriel", "debut"],
                condition=~Q(statut__in=["annule-usager", "annule-referent"]),
                name="rendezvous_une_fois_par_personne",
                violation_error_message="Vous avez déjà un rendez-vous à cette heure-là.",
            ),
            models.CheckConstraint(
                condition=Q(fin__gt=F("debut")) & Q(fin_bloquee__gte=F("fin")),
                name="rendezvous_ordonne",
            ),
        ]
        indexes = [models.Index(fields=["referent", "debut"], name="rendezvous_referent_idx")]

    def __str__(self):
        return f"{self.motif} — {self.debut:%d/%m/%Y %H:%M} — {self.nom}"

    def get_absolute_url(self):
        return reverse("rendezvous:confirmation", args=[self.uuid])

    @property
    def fuseau(self) -> ZoneInfo:
        return ZoneInfo(self.lieu.departement.region.fuseau_horaire or FUSEAU_PAR_DEFAUT)

    @property
    def debut_local(self) -> datetime.datetime:
        return self.debut.astimezone(self.fuseau)

    @property
    def fin_local(self) -> datetime.datetime:
        return self.fin.astimezone(self.fuseau)

    @property
    def est_annule(self) -> bool:
        return self.statut in self.STATUTS_ANNULES

    def annulable_par_usager(self, maintenant=None) -> bool:
        maintenant = maintenant or timezone.now()
        limite = self.debut - datetime.timedelta(hours=self.motif.annulable_jusqu_heures)
        return self.motif.annulable and not self.est_annule and maintenant < limite

    def nouveau_jeton(self) -> str:
        """Set a fresh self-service token; only its hash is stored."""
        jeton = _jeton()
        self.jeton_empreinte = empreinte_jeton(jeton)
        return jeton


class Notification(models.Model):
    """Every message sent about a meeting (RGPD: kept, anonymised with the meeting)."""

    class Type(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation à l'usager"
        REFERENT = "referent", "Nouveau rendez-vous (référent)"
        ANNULATION = "annulation", "Annulation"
        RAPPEL = "rappel", "Rappel de la veille"

    rendezvous = models.ForeignKey(
        RendezVous, on_delete=models.CASCADE, related_name="notifications"
    )
    type = models.CharField(max_length=20, choices=Type.choices)
    destinataire = models.CharField(max_length=254)
    envoye_le = models.DateTimeField(auto_now_add=True)
    succes = models.BooleanField(default=True)
    erreur = models.TextField(blank=True)

    class Meta:
        db_table = "installation_notification"
        ordering = ["-envoye_le"]

    def __str__(self):
        return f"{self.get_type_display()} → {self.destinataire}"
