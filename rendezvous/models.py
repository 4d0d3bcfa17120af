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

from guichet import grammaire
from guichet.fuseaux import fuseau_de, horaire, nom_fuseau
from guichet.models import Commune, Departement
from guichet.vocabulaire import Genre, Profession, Situation


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
    genre = models.CharField(
        max_length=1,
        choices=Genre.choices,
        blank=True,
        default=Genre.NON_RENSEIGNE,
        help_text="Accorde « référent » ou « référente » dans les pages, les courriels et les "
        "invitations. Non renseigné : formulation neutre (« référent ou référente »).",
    )
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
    def fonction(self) -> str:
        """ "référente installation", agreed with ``genre`` (neutral when not given)."""
        return grammaire.fonction_referent(self.genre)

    @property
    def le_referent(self) -> str:
        """ "la référente installation", with its article."""
        return grammaire.fonction_referent(self.genre, article="le")

    @property
    def fuseau(self) -> ZoneInfo:
        """The time zone of the referent's region (all their départements share it)."""
        return fuseau_de(self.departements.select_related("region").first())

    @property
    def nom_fuseau(self) -> str:
        return nom_fuseau(self.fuseau)


class Lieu(models.Model):
    class Type(models.TextChoices):
        ADRESSE = "adresse", "Sur place"
        TELEPHONE = "telephone", "Par téléphone"
        VISIO = "visio", "En visioconférence"

    nom = models.CharField(max_length=150)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.ADRESSE)
    adresse = models.CharField(max_length=300, blank=True)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="+", verbose_name="département"
    )
    consignes = models.TextField(
        blank=True, help_text="Accès, lien de visioconférence envoyé, numéro appelé…"
    )
    lien_visio = models.URLField(
        "lien de visioconférence",
        blank=True,
        help_text="Pour un lieu en visioconférence : envoyé dans le courriel et l'invitation.",
    )

    class Meta:
        db_table = "installation_lieu"
        verbose_name = "lieu de rendez-vous"
        verbose_name_plural = "lieux de rendez-vous"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def modalite(self) -> str:
        """ "en visioconférence", "sur place", "par téléphone"."""
        return self.get_type_display().lower()

    @property
    def libelle(self) -> str:
        """Name, address and mode, the mode left out when the name already says it
        ("Entretien en visioconférence", not "… — en visioconférence")."""
        texte = f"{self.nom}, {self.adresse}" if self.adresse else self.nom
        if self.modalite.split()[-1] in self.nom.lower():
            return texte
        return f"{texte} — {self.modalite}"


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

    referent = models.ForeignKey(
        Referent, on_delete=models.CASCADE, related_name="plages", verbose_name="référent"
    )
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

    def jours_ouverts(self, du: datetime.date, au: datetime.date) -> list[datetime.date]:
        """The days from ``du`` to ``au`` on which ``ouvre_le`` is true, without testing each
        day: the weekday and the week of the cycle follow from the ordinal."""
        premier = max(du, self.date_debut).toordinal()
        dernier = (min(au, self.date_fin) if self.date_fin else au).toordinal()
        origine, cycle = self.date_debut.toordinal(), 7 * self.toutes_les_n_semaines
        jours = set(self.jours)  # ordinal 1 (1 January of year 1) is a Monday
        return [
            datetime.date.fromordinal(o)
            for o in range(premier, dernier + 1)
            if (o - origine) % cycle < 7 and (o - 1) % 7 in jours
        ]


class Absence(models.Model):
    referent = models.ForeignKey(
        Referent, on_delete=models.CASCADE, related_name="absences", verbose_name="référent"
    )
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
        zone = self.referent.fuseau
        return (
            f"{self.referent} : {horaire(self.debut, zone, 'd/m/Y H:i')} → "
            f"{horaire(self.fin, zone, 'd/m/Y H:i')} ({nom_fuseau(zone)})"
        )


class TransitionRefusee(Exception):
    """A status change that the meeting's state or the time forbids (message in French)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
    referent = models.ForeignKey(
        Referent, on_delete=models.PROTECT, related_name="rendezvous", verbose_name="référent"
    )
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
    sequence = models.PositiveIntegerField(
        default=0, help_text="Version de l'invitation ICS.", verbose_name="séquence"
    )
    jeton_empreinte = models.CharField(max_length=64, editable=False)
    rappel_envoye_le = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name="rappel envoyé le"
    )
    annule_le = models.DateTimeField(null=True, blank=True, verbose_name="annulé le")
    motif_annulation = models.TextField("motif de l'annulation", blank=True, max_length=500)
    lien_visio = models.URLField(
        "lien de visioconférence",
        blank=True,
        help_text="Propre à ce rendez-vous ; sinon celui du lieu.",
    )
    anonymise_le = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name="anonymisé le"
    )

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
        return f"{self.motif} — {horaire(self.debut, self.fuseau, 'd/m/Y H:i')} — {self.nom}"

    def get_absolute_url(self):
        return reverse("rendezvous:confirmation", args=[self.uuid])

    @property
    def fuseau(self) -> ZoneInfo:
        return fuseau_de(self.lieu.departement)

    @property
    def nom_fuseau(self) -> str:
        return nom_fuseau(self.fuseau)

    @property
    def debut_local(self) -> datetime.datetime:
        return self.debut.astimezone(self.fuseau)

    @property
    def fin_local(self) -> datetime.datetime:
        return self.fin.astimezone(self.fuseau)

    @property
    def horaire(self) -> str:
        """ "lundi 7 décembre 2026 à 09:00 (heure de la Martinique)", in any active zone."""
        return f"{horaire(self.debut, self.fuseau)} ({self.nom_fuseau})"

    @property
    def lien_visio_effectif(self) -> str:
        return self.lien_visio or self.lieu.lien_visio

    @property
    def est_annule(self) -> bool:
        return self.statut in self.STATUTS_ANNULES

    def est_commence(self, maintenant=None) -> bool:
        return (maintenant or timezone.now()) >= self.debut

    def annulable_par_usager(self, maintenant=None) -> bool:
        maintenant = maintenant or timezone.now()
        limite = self.debut - datetime.timedelta(hours=self.motif.annulable_jusqu_heures)
        return self.motif.annulable and self.statut == self.Statut.CONFIRME and maintenant < limite

    def deplacable_par_usager(self, maintenant=None) -> bool:
        return self.annulable_par_usager(maintenant)

    def modifiable_par_referent(self, maintenant=None) -> bool:
        return self.statut == self.Statut.CONFIRME and not self.est_commence(maintenant)

    def renseignable(self, maintenant=None) -> bool:
        """Honoured or absent can be recorded: confirmed and started."""
        return self.statut == self.Statut.CONFIRME and self.est_commence(maintenant)

    # -- transitions: each checks the state and the time, or raises TransitionRefusee -------

    def _exiger_confirme(self):
        if self.est_annule:
            raise TransitionRefusee("Ce rendez-vous est annulé : son statut ne peut plus changer.")
        if self.statut != self.Statut.CONFIRME:
            raise TransitionRefusee(
                f"Ce rendez-vous est déjà renseigné ({self.get_statut_display().lower()})."
            )

    def _renseigner(self, statut, maintenant):
        self._exiger_confirme()
        if not self.est_commence(maintenant):
            raise TransitionRefusee(
                "Ce rendez-vous n'a pas encore commencé : il ne peut être dit honoré ou "
                "absent qu'à partir de son heure de début."
            )
        self.statut = statut
        return ["statut"]

    def marquer_honore(self, maintenant=None) -> list[str]:
        return self._renseigner(self.Statut.HONORE, maintenant)

    def marquer_absent(self, maintenant=None) -> list[str]:
        return self._renseigner(self.Statut.ABSENT, maintenant)

    def _annuler(self, statut, maintenant):
        self._exiger_confirme()
        maintenant = maintenant or timezone.now()
        if self.est_commence(maintenant):
            raise TransitionRefusee("Ce rendez-vous a déjà commencé : il ne peut plus être annulé.")
        self.statut = statut
        self.annule_le = maintenant
        self.sequence += 1
        return ["statut", "annule_le", "sequence", "motif_annulation"]

    def annuler_par_usager(self, maintenant=None) -> list[str]:
        self._exiger_confirme()
        if not self.annulable_par_usager(maintenant):
            raise TransitionRefusee(
                "Ce rendez-vous ne peut plus être annulé en ligne : contactez le référent."
            )
        return self._annuler(self.Statut.ANNULE_USAGER, maintenant)

    def annuler_par_referent(self, raison: str, maintenant=None) -> list[str]:
        raison = (raison or "").strip()
        if not raison:
            raise TransitionRefusee(
                "Indiquez la raison de l'annulation : elle est envoyée à la personne."
            )
        champs = self._annuler(self.Statut.ANNULE_REFERENT, maintenant)
        self.motif_annulation = raison
        return champs

    def deplacer(self, *, debut, fin, fin_bloquee, lieu_id, par_usager: bool, maintenant=None):
        """Move to another slot (the caller checked it is free): same UID, SEQUENCE + 1."""
        self._exiger_confirme()
        permis = (
            self.deplacable_par_usager(maintenant)
            if par_usager
            else self.modifiable_par_referent(maintenant)
        )
        if not permis:
            raise TransitionRefusee(
                "Ce rendez-vous ne peut plus être déplacé en ligne : contactez le référent."
                if par_usager
                else "Ce rendez-vous a déjà commencé : il ne peut plus être déplacé."
            )
        self.debut, self.fin, self.fin_bloquee, self.lieu_id = debut, fin, fin_bloquee, lieu_id
        self.sequence += 1
        self.rappel_envoye_le = None
        return ["debut", "fin", "fin_bloquee", "lieu", "sequence", "rappel_envoye_le"]

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
        DEPLACEMENT = "deplacement", "Déplacement"
        RAPPEL = "rappel", "Rappel de la veille"

    rendezvous = models.ForeignKey(
        RendezVous, on_delete=models.CASCADE, related_name="notifications"
    )
    type = models.CharField(max_length=20, choices=Type.choices)
    destinataire = models.CharField(max_length=254)
    envoye_le = models.DateTimeField(auto_now_add=True, verbose_name="envoyée le")
    succes = models.BooleanField(default=True, verbose_name="succès")
    erreur = models.TextField(blank=True)

    class Meta:
        db_table = "installation_notification"
        ordering = ["-envoye_le"]

    def __str__(self):
        return f"{self.get_type_display()} → {self.destinataire}"
