"""Opportunities: a practice to take over, a post, a replacement, an internship, housing.

Posted by those who offer them (a professional, a maison or centre de santé, a commune, an
établissement), moderated by the ARS staff of the commune's territory, then found near a commune.
Every change of state is a method below that checks the current state (never a free assignment
of ``statut``): brouillon → soumise → publiée → pourvue / expirée / retirée, or refusée.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from guichet.models import Commune
from guichet.text import NormaliseFunc
from guichet.vocabulaire import Profession
from installation.fichiers import detecter_format, valider_fichier
from installation.models import Structure


class Nature(models.TextChoices):
    REPRISE = "reprise-cession", "Reprise ou cession de cabinet"
    ASSOCIATION = "association-collaboration", "Association ou collaboration"
    SALARIE = "poste-salarie", "Poste salarié"
    REMPLACEMENT = "remplacement", "Remplacement"
    STAGE = "terrain-de-stage", "Terrain de stage"
    LOGEMENT = "logement", "Logement"


class QualiteAuteur(models.TextChoices):
    PROFESSIONNEL = "professionnel", "Professionnel ou professionnelle de santé"
    STRUCTURE = "structure", "Maison de santé ou centre de santé"
    COLLECTIVITE = "collectivite", "Commune ou groupement de communes"
    ETABLISSEMENT = "etablissement", "Établissement de santé"


class MotifSignalement(models.TextChoices):
    POURVUE = "deja-pourvue", "L'offre est déjà pourvue ou n'existe plus"
    INEXACTE = "inexacte", "Les informations sont inexactes"
    FRAUDE = "fraude", "Annonce frauduleuse ou tentative d'hameçonnage"
    INAPPROPRIEE = "inappropriee", "Contenu inapproprié ou discriminatoire"
    AUTRE = "autre", "Autre raison"


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "En attente de modération"
    PUBLIEE = "publiee", "Publiée"
    POURVUE = "pourvue", "Pourvue"
    EXPIREE = "expiree", "Expirée"
    RETIREE = "retiree", "Retirée"
    REFUSEE = "refusee", "Refusée"


# Each transition and the states it may start from; anything else raises ValidationError.
TRANSITIONS = {
    "soumettre": {Statut.BROUILLON},
    "publier": {Statut.SOUMISE},
    "refuser": {Statut.SOUMISE},
    "demander_modifications": {Statut.SOUMISE},
    "marquer_pourvue": {Statut.PUBLIEE},
    "expirer": {Statut.PUBLIEE},
    "retirer": {Statut.BROUILLON, Statut.SOUMISE, Statut.PUBLIEE},
    "signaler": {Statut.PUBLIEE},
    "renouveler": {Statut.PUBLIEE},
}
MESSAGES_REFUS = {
    "soumettre": "Seul un brouillon peut être soumis à la modération.",
    "publier": "Seule une annonce en attente de modération peut être publiée.",
    "refuser": "Seule une annonce en attente de modération peut être refusée.",
    "demander_modifications": "Seule une annonce en attente de modération peut être renvoyée "
    "à son auteur.",
    "marquer_pourvue": "Seule une annonce publiée peut être marquée pourvue.",
    "expirer": "Seule une annonce publiée peut expirer.",
    "retirer": "Cette annonce n'est plus en ligne ni en attente : elle ne peut pas être retirée.",
    "signaler": "Seule une annonce en ligne peut être signalée.",
    "renouveler": "Seule une annonce en ligne peut être renouvelée.",
}


def valider_pdf(fichier) -> None:
    """The project's upload checks (size, content read as its format, name matching), then PDF
    only."""
    valider_fichier(fichier)
    if detecter_format(fichier) != "pdf":
        raise ValidationError("Seul un document PDF est accepté.", code="format")


class OpportuniteQuerySet(models.QuerySet):
    def publiees(self):
        return self.filter(statut=Statut.PUBLIEE)

    def en_attente(self):
        return self.filter(statut=Statut.SOUMISE)

    def de_l_auteur(self, user):
        return self.filter(auteur=user) if user.is_authenticated else self.none()

    def a_expirer(self, jour: datetime.date | None = None):
        return self.publiees().filter(expire_le__lt=jour or timezone.localdate())

    def a_rappeler(self, jour: datetime.date):
        """Online posts whose end comes within the reminder's days, not reminded yet."""
        limite = jour + datetime.timedelta(days=settings.OPPORTUNITE_RAPPEL_JOURS)
        return self.publiees().filter(
            expire_le__gte=jour, expire_le__lte=limite, rappel_envoye_le__isnull=True
        )

    def a_purger(self, maintenant):
        """Closed posts (filled, expired, withdrawn, refused) past the retention period."""
        limite = maintenant - datetime.timedelta(days=settings.OPPORTUNITE_CONSERVATION_JOURS)
        fermees = [Statut.POURVUE, Statut.EXPIREE, Statut.RETIREE, Statut.REFUSEE]
        return self.filter(statut__in=fermees).filter(
            models.Q(close_le__lt=limite) | models.Q(close_le__isnull=True, modifiee_le__lt=limite)
        )


class Opportunite(models.Model):
    Nature = Nature
    QualiteAuteur = QualiteAuteur
    Statut = Statut

    titre = models.CharField(max_length=150)
    nature = models.CharField("type d'annonce", max_length=30, choices=Nature.choices)
    professions = ArrayField(
        models.CharField(max_length=30, choices=Profession.choices),
        verbose_name="professions recherchées",
        default=list,
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    debut = models.DateField("à partir du", null=True, blank=True)
    fin = models.DateField("jusqu'au", null=True, blank=True)
    loyer_mensuel = models.PositiveIntegerField(
        "loyer ou redevance mensuels (€)", null=True, blank=True
    )
    retrocession = models.PositiveSmallIntegerField(
        "rétrocession (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    salaire_mensuel = models.PositiveIntegerField("salaire brut mensuel (€)", null=True, blank=True)
    # Unknown (None) is not "no": the page says "non précisé".
    secretariat = models.BooleanField("secrétariat", null=True, blank=True)
    equipement = models.TextField("équipement", max_length=2000, blank=True)
    equipe = models.TextField("équipe en place", max_length=2000, blank=True)
    description = models.TextField(
        max_length=10000, help_text="Texte au format Markdown. Le HTML est filtré avant affichage."
    )

    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunites"
    )
    qualite_auteur = models.CharField(
        "vous publiez en tant que", max_length=20, choices=QualiteAuteur.choices
    )
    structure = models.CharField(
        "nom de la structure, de la commune ou de l'établissement", max_length=200, blank=True
    )
    # The maison or centre de santé (FINESS) where the post is, when the author names one: one
    # near the post's commune or of its département (OpportuniteForm checks it).
    structure_accueil = models.ForeignKey(
        Structure,
        verbose_name="maison ou centre de santé d'accueil",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunites",
    )

    fictive = models.BooleanField(
        "fictive", default=False, editable=False, help_text="Annonce de démonstration."
    )
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)
    soumise_le = models.DateTimeField("soumise le", null=True, blank=True)
    publiee_le = models.DateTimeField("publiée le", null=True, blank=True)
    close_le = models.DateTimeField("close le", null=True, blank=True)
    expire_le = models.DateField("en ligne jusqu'au", null=True, blank=True)
    moderee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modérée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    motif_refus = models.TextField("motif du refus", max_length=2000, blank=True)
    modifications_demandees = models.TextField(
        "modifications demandées", max_length=2000, blank=True
    )
    signalee_le = models.DateTimeField("signalée le", null=True, blank=True)
    motif_signalement = models.CharField(
        "motif du signalement", max_length=20, choices=MotifSignalement.choices, blank=True
    )
    rappel_envoye_le = models.DateTimeField("rappel d'échéance envoyé le", null=True, blank=True)
    piece_jointe = models.FileField(
        "document PDF (facultatif)",
        upload_to="opportunites/%Y/%m/",
        max_length=200,
        blank=True,
        validators=[valider_pdf],
        help_text="Un PDF de 2 Mo au plus (plan, photos, fiche de poste). Son contenu est vérifié.",
    )

    # Kept in sync by PostgreSQL on every write, like the aids' search vector.
    recherche = models.GeneratedField(
        expression=SearchVector(NormaliseFunc("titre"), config="french", weight="A")
        + SearchVector(NormaliseFunc("structure"), config="french", weight="B")
        + SearchVector(NormaliseFunc("description"), config="french", weight="C")
        + SearchVector(NormaliseFunc("equipement"), config="french", weight="D")
        + SearchVector(NormaliseFunc("equipe"), config="french", weight="D"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = OpportuniteQuerySet.as_manager()

    class Meta:
        verbose_name = "opportunité"
        ordering = ["-publiee_le", "-cree_le"]
        indexes = [
            models.Index(fields=["statut", "commune"], name="opportunite_statut_idx"),
            GinIndex(fields=["recherche"], name="opportunite_recherche_idx"),
            GinIndex(fields=["professions"], name="opportunite_professions_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fin__isnull=True)
                | models.Q(debut__isnull=True)
                | models.Q(fin__gte=models.F("debut")),
                name="opportunite_fin_apres_debut",
            ),
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("opportunites:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.debut and self.fin and self.fin < self.debut:
            raise ValidationError({"fin": "La date de fin précède la date de début."})
        if self.nature == Nature.REMPLACEMENT and not self.debut:
            raise ValidationError({"debut": "Indiquez la date de début du remplacement."})

    @property
    def libelles_professions(self) -> list[str]:
        libelles = dict(Profession.choices)
        return [libelles.get(p, p) for p in self.professions]

    @property
    def en_ligne(self) -> bool:
        return self.statut == Statut.PUBLIEE

    # -- state changes: each checks the current state (TRANSITIONS) ----------------------------

    def peut(self, transition: str) -> bool:
        return self.statut in TRANSITIONS[transition]

    def _exiger(self, transition: str) -> None:
        if not self.peut(transition):
            raise ValidationError(MESSAGES_REFUS[transition])

    def soumettre(self, maintenant=None) -> None:
        self._exiger("soumettre")
        self.statut = Statut.SOUMISE
        self.soumise_le = maintenant or timezone.now()

    def publier(self, moderateur, maintenant=None) -> None:
        self._exiger("publier")
        maintenant = maintenant or timezone.now()
        self.statut = Statut.PUBLIEE
        self.publiee_le = self.publiee_le or maintenant  # a reported post keeps its first date
        self.moderee_par = moderateur
        self.modifications_demandees = ""
        self.expire_le = timezone.localdate(maintenant) + datetime.timedelta(
            days=settings.OPPORTUNITE_DUREE_JOURS
        )

    def refuser(self, moderateur, motif: str) -> None:
        self._exiger("refuser")
        if not (motif or "").strip():
            raise ValidationError("Indiquez le motif du refus : il est envoyé à l'auteur.")
        self.statut = Statut.REFUSEE
        self.motif_refus = motif.strip()
        self.moderee_par = moderateur

    def demander_modifications(self, moderateur, message: str) -> None:
        self._exiger("demander_modifications")
        if not (message or "").strip():
            raise ValidationError("Indiquez les modifications attendues.")
        self.statut = Statut.BROUILLON
        self.modifications_demandees = message.strip()
        self.moderee_par = moderateur

    def marquer_pourvue(self, maintenant=None) -> None:
        self._exiger("marquer_pourvue")
        self.statut = Statut.POURVUE
        self.close_le = maintenant or timezone.now()

    def expirer(self, maintenant=None) -> None:
        self._exiger("expirer")
        maintenant = maintenant or timezone.now()
        if self.expire_le and self.expire_le >= timezone.localdate(maintenant):
            raise ValidationError("Cette annonce est encore dans sa période de publication.")
        self.statut = Statut.EXPIREE
        self.close_le = maintenant

    def retirer(self, maintenant=None) -> None:
        self._exiger("retirer")
        self.statut = Statut.RETIREE
        self.close_le = maintenant or timezone.now()

    def signaler(self, motif: str, maintenant=None) -> None:
        """A reader's report sends the post back to the moderation queue (off line)."""
        self._exiger("signaler")
        if motif not in MotifSignalement.values:
            raise ValidationError("Choisissez le motif du signalement.")
        self.statut = Statut.SOUMISE
        self.signalee_le = self.soumise_le = maintenant or timezone.now()
        self.motif_signalement = motif

    def renouveler(self, maintenant=None) -> None:
        """Online for another period from today (the reminder may be sent again)."""
        self._exiger("renouveler")
        self.expire_le = timezone.localdate(maintenant or timezone.now()) + datetime.timedelta(
            days=settings.OPPORTUNITE_DUREE_JOURS
        )
        self.rappel_envoye_le = None


class MessageOpportunite(models.Model):
    """A reader's message to a post's author, relayed by the portal: neither address is shown
    until the author answers (the answer goes to the reader with the author's address)."""

    opportunite = models.ForeignKey(Opportunite, on_delete=models.CASCADE, related_name="messages")
    expediteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_opportunites"
    )
    texte = models.TextField(max_length=3000)
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)
    reponse = models.TextField("réponse", max_length=3000, blank=True)
    repondu_le = models.DateTimeField("répondu le", null=True, blank=True)

    class Meta:
        verbose_name = "message à propos d'une opportunité"
        verbose_name_plural = "messages à propos des opportunités"
        ordering = ["-envoye_le"]

    def __str__(self):
        return f"Message du {self.envoye_le:%d/%m/%Y}"

    def repondre(self, texte: str, maintenant=None) -> None:
        if self.repondu_le is not None:
            raise ValidationError("Vous avez déjà répondu à ce message.")
        if not (texte or "").strip():
            raise ValidationError("Votre réponse est vide.")
        self.reponse = texte.strip()
        self.repondu_le = maintenant or timezone.now()


# -- alerts: saved searches sent as a daily or weekly digest ------------------------------------


class Frequence(models.TextChoices):
    QUOTIDIENNE = "quotidienne", "Chaque jour"
    HEBDOMADAIRE = "hebdomadaire", "Chaque semaine"


class SujetAlerte(models.TextChoices):
    OPPORTUNITES = "opportunites", "Nouvelles opportunités"
    AIDES_ZONAGE = "aides-zonage", "Aides et zonage nouveaux ou modifiés"


class Alerte(models.Model):
    """A signed-in user's saved search: the opportunities list's filters, or the aids and the
    zoning of a commune for a profession. ``depuis`` is the instant up to which news were
    reported (the next digest reports what came after), ``prochain_envoi`` when it is due."""

    Frequence = Frequence
    Sujet = SujetAlerte

    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alertes_opportunites"
    )
    sujet = models.CharField(max_length=20, choices=SujetAlerte.choices)
    # The list's query parameters (commune as its INSEE code), read by OpportuniteFilterSet.
    parametres = models.JSONField("critères", default=dict, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    profession = models.CharField(max_length=30, choices=Profession.choices, blank=True)
    frequence = models.CharField(
        "fréquence", max_length=20, choices=Frequence.choices, default=Frequence.HEBDOMADAIRE
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    depuis = models.DateTimeField("nouveautés signalées jusqu'au")
    prochain_envoi = models.DateTimeField("prochain envoi")
    # The zoning levels per profession last reported, to tell a changed zoning.
    zonage_vu = models.JSONField("zonage signalé", default=dict, blank=True)

    class Meta:
        verbose_name = "alerte"
        ordering = ["cree_le", "pk"]
        indexes = [models.Index(fields=["prochain_envoi"], name="alerte_prochain_envoi_idx")]

    def __str__(self):
        return f"Alerte n° {self.pk}"

    def planifier(self, maintenant) -> None:
        """The next digest: tomorrow or in a week, at the hour of the morning run."""
        jours = 1 if self.frequence == Frequence.QUOTIDIENNE else 7
        jour = timezone.localdate(maintenant) + datetime.timedelta(days=jours)
        self.prochain_envoi = datetime.datetime.combine(
            jour,
            datetime.time(settings.OPPORTUNITE_ALERTES_HEURE),
            timezone.get_current_timezone(),
        )


class EnvoiAlertes(models.Model):
    """One digest to one user on one day, recorded (with what it reports) before it is sent:
    never two the same day (unique), and a digest recorded but not sent is sent by the next run."""

    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="envois_alertes"
    )
    jour = models.DateField()
    contenu = models.JSONField(default=list)
    prepare_le = models.DateTimeField("préparé le")
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "envoi d'alertes"
        verbose_name_plural = "envois d'alertes"
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "jour"], name="envoi_alertes_unique")
        ]
        indexes = [
            models.Index(
                fields=["prepare_le"],
                condition=models.Q(envoye_le__isnull=True),
                name="envoi_alertes_a_envoyer_idx",
            )
        ]

    def __str__(self):
        return f"Alertes du {self.jour:%d/%m/%Y}"
