import datetime
import re
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from guichet.models import Commune, Departement, Region
from guichet.text import NormaliseFunc, euros, normalise_python
from guichet.vocabulaire import Profession, Situation


class TypeOrganisation(models.TextChoices):
    ARS = "ars", "Agence régionale de santé"
    ASSURANCE_MALADIE = "assurance-maladie", "Assurance Maladie (CPAM, Cnam)"
    CNG = "cng", "Centre national de gestion"
    ETAT = "etat", "État, DGFiP et opérateurs"
    REGION = "region", "Conseil régional"
    DEPARTEMENT = "departement", "Conseil départemental"
    INTERCOMMUNALITE = "intercommunalite", "Intercommunalité"
    COMMUNE = "commune", "Commune"
    ORDRE = "ordre", "Ordre professionnel"
    URPS = "urps", "Union régionale des professionnels de santé"
    UNIVERSITE = "universite", "Université"
    AUTRE = "autre", "Autre"


class Organisation(models.Model):
    """Who pays, who processes a file, who does a step: shared by the aids and installation."""

    code = models.SlugField(max_length=80, unique=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=30, choices=TypeOrganisation.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="région",
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    site = models.URLField("site internet", blank=True)
    courriel = models.EmailField(blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Zonage(models.Model):
    """A zoning level of a commune for a profession, from an ARS decree (arrêté de zonage)."""

    class Niveau(models.TextChoices):
        ZIP = "zip", "Zone d'intervention prioritaire (ZIP)"
        ZAC = "zac", "Zone d'action complémentaire (ZAC)"
        TRES_SOUS_DOTEE = "tres-sous-dotee", "Zone très sous-dotée"
        SOUS_DOTEE = "sous-dotee", "Zone sous-dotée"
        INTERMEDIAIRE = "intermediaire", "Zone intermédiaire"
        TRES_DOTEE = "tres-dotee", "Zone très dotée"
        SUR_DOTEE = "sur-dotee", "Zone sur-dotée"
        QPV = "qpv", "Quartier prioritaire de la politique de la ville (QPV)"
        FRR = "frr", "France ruralités revitalisation (FRR)"
        ZRR = "zrr", "Zone de revitalisation rurale (ZRR)"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="zonages")
    profession = models.CharField(max_length=30, choices=Profession.choices)
    niveau = models.CharField(max_length=20, choices=Niveau.choices)
    date_arrete = models.DateField("date de l'arrêté")
    source = models.CharField(max_length=300, help_text="Arrêté, lien vers sa publication.")
    fictif = models.BooleanField(
        "fictif (démonstration)",
        default=False,
        help_text="Zonage inventé pour la démonstration : signalé comme tel partout.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "profession", "niveau"], name="zonage_unique"
            )
        ]
        indexes = [models.Index(fields=["commune", "profession"], name="zonage_commune_idx")]

    def __str__(self):
        return f"{self.commune} — {self.get_profession_display()} — {self.get_niveau_display()}"


class TypeAide(models.TextChoices):
    BOURSE = "bourse-etudes", "Bourse d'études"
    GARANTIE = "garantie-revenu", "Garantie ou complément de revenu"
    INSTALLATION = "aide-installation", "Aide forfaitaire à l'installation"
    MAINTIEN = "aide-maintien", "Aide au maintien"
    COORDONNE = "exercice-coordonne", "Aide à l'exercice coordonné"
    EXONERATION = "exoneration", "Exonération fiscale ou sociale"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement et ingénierie"
    LOGEMENT = "logement", "Logement et vie pratique"
    AUTRE = "autre", "Autre"


class ModeExercice(models.TextChoices):
    SEUL = "seul", "Seul ou seule"
    GROUPE = "groupe", "En cabinet de groupe"
    MSP = "msp", "En maison de santé pluriprofessionnelle"


class Secteur(models.TextChoices):
    SECTEUR_1 = "secteur-1", "Secteur 1"
    OPTAM = "optam", "Secteur 2 avec Optam"
    OPTAM_ACO = "optam-aco", "Secteur 2 avec Optam-ACO"
    SECTEUR_2 = "secteur-2", "Secteur 2 sans Optam"


def _choix(choices, **kwargs):
    return ArrayField(models.CharField(max_length=30, choices=choices), default=list, **kwargs)


class AideQuerySet(models.QuerySet):
    def publiees(self):
        return self.filter(statut=Aide.Statut.PUBLIEE)

    def ouvertes(self, jour: datetime.date | None = None):
        jour = jour or timezone.localdate()
        return self.filter(Q(valide_au__isnull=True) | Q(valide_au__gte=jour))

    def closes(self, jour: datetime.date | None = None):
        jour = jour or timezone.localdate()
        return self.filter(valide_au__lt=jour)

    def pour_profession(self, profession: str):
        return self.filter(Q(professions=[]) | Q(professions__contains=[profession]))

    def pour_situation(self, situation: str):
        return self.filter(Q(situations=[]) | Q(situations__contains=[situation]))

    def dans_departement(self, departement: Departement):
        """Aids whose reach meets the département (its region, itself or one of its communes).

        One ``EXISTS`` per territory table rather than joins: no duplicate rows, so no
        ``DISTINCT`` over every column, and a cheap COUNT for the pagination.
        """
        return self.filter(
            _dans_territoire(
                region=departement.region_id,
                departement=departement.pk,
                communes={"commune__departement_id": departement.pk},
            )
        )

    def portee_contient(self, commune: Commune):
        """Aids whose territorial reach contains the commune."""
        return self.filter(
            _dans_territoire(
                region=commune.departement.region_id,
                departement=commune.departement_id,
                communes={"commune_id": commune.pk},
            )
        )

    def pour_commune(self, commune: Commune, profession: str | None = None):
        """Reach contains the commune and its zoning meets the aid's condition for the profession.

        An unknown zoning (no decree loaded for the commune and the profession) never excludes
        an aid: the pages say it is to be checked. Without a profession, an aid is kept when
        one of the professions it targets is zoned right there, or has an unknown zoning.
        """
        zonages = Zonage.objects.filter(commune=commune)
        if profession:
            niveaux = list(
                zonages.filter(profession=profession).values_list("niveau", flat=True).distinct()
            )
            if niveaux:
                zonage_ok = Q(zonage_requis=[]) | Q(zonage_requis__overlap=niveaux)
            else:  # unknown for this profession: its aids stay, to be checked
                zonage_ok = (
                    Q(zonage_requis=[]) | Q(professions=[]) | Q(professions__contains=[profession])
                )
        else:
            connus = _niveaux_par_profession(zonages)
            inconnues = [p for p in Profession.values if p not in connus]
            zonage_ok = Q(zonage_requis=[])
            if inconnues:
                zonage_ok |= Q(professions=[]) | Q(professions__overlap=inconnues)
            for prof, niveaux in connus.items():
                zonage_ok |= Q(zonage_requis__overlap=niveaux) & (
                    Q(professions=[]) | Q(professions__contains=[prof])
                )
        return self.portee_contient(commune).filter(zonage_ok)

    def recherche(self, q: str):
        """French full-text search, accent-insensitive, ranked (name and acronym weigh most)."""
        requete = tsquery_prefixe(q)
        if requete is None:
            return self
        return (
            self.annotate(pertinence=SearchRank(F("recherche"), requete))
            .filter(recherche=requete)
            .order_by("-pertinence", "nom")
        )

    def pour_cartes(self):
        """Without the long texts and the search vector, which a card never shows.

        The tsvector alone is tens of kilobytes per aid, stored out of line (TOAST): reading it
        for every row of a list costs more than the rest of the query.
        """
        return self.defer(*CHAMPS_LONGS)

    def pour_liste(self):
        return self.prefetch_related(
            models.Prefetch(
                "financements",
                queryset=Financement.objects.select_related("organisation").order_by("ordre"),
            )
        )


def _dans_territoire(*, region, departement, communes: dict) -> Q:
    """National reach, or a row in one of the three territory tables, each as an EXISTS."""
    liens = Aide.regions.through, Aide.departements.through, Aide.communes.through
    return (
        Q(portee=Aide.Portee.NATIONALE)
        | Exists(liens[0].objects.filter(aide_id=OuterRef("pk"), region_id=region))
        | Exists(liens[1].objects.filter(aide_id=OuterRef("pk"), departement_id=departement))
        | Exists(liens[2].objects.filter(aide_id=OuterRef("pk"), **communes))
    )


CHAMPS_LONGS = ["description", "versement", "remarques_montant", "engagement", "cumul",
                "base_legale", "contact", "recherche"]  # fmt: skip


def _niveaux_par_profession(zonages) -> dict[str, list[str]]:
    resultat: dict[str, list[str]] = {}
    for prof, niveau in zonages.values_list("profession", "niveau"):
        resultat.setdefault(prof, []).append(niveau)
    return resultat


def tsquery_prefixe(q: str):
    """Every word of the query, normalised like the indexed text, as a prefix (``mot:*``).

    French stems differ between genders and plurals ("infirmier" gives ``infirmi``,
    "infirmière" gives ``infirmier``): a word also matches by a shorter root.
    """
    termes = []
    for mot in normalise_python(q).split()[:10]:
        racine = mot[: max(4, len(mot) - 2)]
        termes.append(f"({mot}:* | {racine}:*)" if racine != mot else f"{mot}:*")
    if not termes:
        return None
    return SearchQuery(" & ".join(termes), config="french", search_type="raw")


JOURS_AVANT_CLOTURE = 90


class Aide(models.Model):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        PUBLIEE = "publiee", "Publiée"
        ARCHIVEE = "archivee", "Archivée"

    class Portee(models.TextChoices):
        NATIONALE = "national", "Nationale"
        REGIONS = "region", "Une ou plusieurs régions"
        DEPARTEMENTS = "departement", "Un ou plusieurs départements"
        COMMUNES = "commune", "Une ou plusieurs communes"

    class Unite(models.TextChoices):
        MOIS = "mois", "par mois"
        AN = "an", "par an"
        UNIQUE = "unique", "en une fois"

    nom = models.CharField(max_length=200)
    sigle = models.CharField("sigle officiel", max_length=30, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    resume = models.CharField("résumé", max_length=300)
    description = models.TextField(help_text="Markdown ; le HTML est filtré avant affichage.")
    type = models.CharField(max_length=30, choices=TypeAide.choices)
    professions = _choix(
        Profession.choices, blank=True, help_text="Aucune : toutes les professions."
    )
    situations = _choix(Situation.choices, blank=True, help_text="Aucune : toutes les situations.")

    portee = models.CharField("portée", max_length=20, choices=Portee.choices)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="aides", verbose_name="régions"
    )
    departements = models.ManyToManyField(
        Departement, blank=True, related_name="aides", verbose_name="départements"
    )
    communes = models.ManyToManyField(Commune, blank=True, related_name="aides")
    zonage_requis = _choix(
        Zonage.Niveau.choices,
        blank=True,
        verbose_name="zonage requis",
        help_text="Niveaux de zonage dont la commune doit relever pour la profession "
        "(l'un d'eux suffit). Aucun : pas de condition de zonage.",
    )

    montant = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    unite = models.CharField("unité", max_length=10, choices=Unite.choices, blank=True)
    duree_mois = models.PositiveIntegerField("durée (mois)", null=True, blank=True)
    plafond = models.DecimalField(
        "plafond total", max_digits=10, decimal_places=2, null=True, blank=True
    )
    versement = models.TextField("modalités de versement", blank=True)
    remarques_montant = models.TextField("remarques sur le montant", blank=True)
    engagement = models.TextField("engagement en contrepartie", blank=True)
    engagement_annees = models.PositiveIntegerField(
        "durée d'engagement (années)", null=True, blank=True
    )
    cumul = models.TextField("règles de cumul", blank=True)
    premiere_installation = models.BooleanField("première installation uniquement", default=False)
    modes_exercice = _choix(
        ModeExercice.choices,
        blank=True,
        verbose_name="modes d'exercice",
        help_text="Aucun : tous les modes d'exercice.",
    )
    secteurs = _choix(Secteur.choices, blank=True, help_text="Aucun : tous les secteurs.")
    delai_non_renouvellement_ans = models.PositiveIntegerField(
        "délai avant une nouvelle aide (années)",
        null=True,
        blank=True,
        help_text="Pas de nouvelle aide de même nature dans ce délai (par exemple 10 ans).",
    )

    licence_remplacement = models.BooleanField(
        "licence de remplacement pour les étudiants et internes",
        default=False,
        help_text="Un étudiant ou un interne n'y a droit qu'avec une licence de remplacement : "
        "le simulateur le lui dit et ne compte pas l'aide dans son total.",
    )

    valide_du = models.DateField("valide du", null=True, blank=True)
    valide_au = models.DateField(
        "valide au", null=True, blank=True, help_text="Date de clôture du dispositif."
    )
    base_legale = models.TextField("base légale", blank=True)
    source_url = models.URLField("source", max_length=500)
    verifie_le = models.DateField("vérifié le")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    contact = models.TextField(blank=True)
    exemple = models.BooleanField(
        "exemple",
        default=False,
        help_text="Aide présentée à titre d'exemple (montants indicatifs) : signalée comme telle.",
    )
    liees = models.ManyToManyField("self", blank=True, verbose_name="aides liées")
    organisations = models.ManyToManyField(
        Organisation, through="Financement", related_name="aides", blank=True
    )
    cree_le = models.DateTimeField(auto_now_add=True, verbose_name="créée le")
    modifie_le = models.DateTimeField(auto_now=True, verbose_name="modifiée le")

    # Kept in sync by PostgreSQL itself on every write (generated column), imports included.
    recherche = models.GeneratedField(
        expression=SearchVector(NormaliseFunc("nom"), config="french", weight="A")
        + SearchVector(NormaliseFunc("sigle"), config="french", weight="A")
        + SearchVector(NormaliseFunc("resume"), config="french", weight="B")
        + SearchVector(NormaliseFunc("description"), config="french", weight="C")
        + SearchVector(NormaliseFunc("engagement"), config="french", weight="D"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = AideQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        indexes = [
            GinIndex(fields=["recherche"], name="aide_recherche_idx"),
            GinIndex(fields=["professions"], name="aide_professions_idx"),
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("aides:detail", args=[self.slug])

    @property
    def titre(self) -> str:
        """The name with the acronym, unless the name already carries it: every acronym of
        "CAPII / CAII" is in "Contrats d'aide … (CAPII et CAII)", which stays as it is."""
        sigles = [s for s in re.split(r"\s*(?:/|,|\bet\b)\s*", self.sigle) if s]
        if not sigles or all(re.search(rf"\b{re.escape(s)}\b", self.nom) for s in sigles):
            return self.nom
        return f"{self.nom} ({self.sigle})"

    # -- presentation helpers
    def noms_financeurs(self) -> str:
        """Who pays, from the prefetched roles (see AideQuerySet.pour_liste)."""
        noms = [f.organisation.nom for f in self.financements.all() if f.role == "financeur"]
        return ", ".join(noms) or "non précisé"

    def professions_libelles(self) -> list[str]:
        return [Profession(p).label for p in self.professions]

    def situations_libelles(self) -> list[str]:
        return [Situation(s).label for s in self.situations]

    def zonage_libelles(self) -> list[str]:
        return [Zonage.Niveau(n).label for n in self.zonage_requis]

    @property
    def est_close(self) -> bool:
        return self.valide_au is not None and self.valide_au < timezone.localdate()

    @property
    def bientot_close(self) -> bool:
        """Open today but ending within ``JOURS_AVANT_CLOTURE`` days: the pages say so."""
        if self.valide_au is None or self.est_close:
            return False
        return self.valide_au <= timezone.localdate() + datetime.timedelta(JOURS_AVANT_CLOTURE)

    @property
    def a_venir(self) -> bool:
        return self.valide_du is not None and self.valide_du > timezone.localdate()

    @property
    def a_reverifier(self) -> bool:
        return self.verifie_le < timezone.localdate() - datetime.timedelta(days=365)

    def montant_affiche(self) -> str:
        if self.montant is None:
            return "Montant variable"
        texte = euros(self.montant)
        if self.unite:
            texte += f" {self.get_unite_display()}"
        return texte

    def total_potentiel(self, annees: int = 5) -> Decimal | None:
        """What the aid can bring over the first ``annees`` years, when the amount is known."""
        if self.montant is None:
            return None
        mois = annees * 12
        if self.duree_mois:
            mois = min(mois, self.duree_mois)
        if self.unite == self.Unite.MOIS:
            total = self.montant * mois
        elif self.unite == self.Unite.AN:
            total = self.montant * Decimal(mois) / 12
        else:
            total = self.montant
        if self.plafond is not None:
            total = min(total, self.plafond)
        return total.quantize(Decimal("1"))


class Financement(models.Model):
    """An organisation's role in an aid, ordered: who pays is not who processes the file."""

    class Role(models.TextChoices):
        FINANCEUR = "financeur", "Financeur"
        INSTRUCTEUR = "instructeur", "Instructeur"

    aide = models.ForeignKey(Aide, on_delete=models.CASCADE, related_name="financements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="financements"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "ordre"]
        verbose_name = "financeur ou instructeur"
        verbose_name_plural = "financeurs et instructeurs"
        constraints = [
            models.UniqueConstraint(
                fields=["aide", "organisation", "role"], name="financement_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} : {self.organisation}"


class SimulationEnregistree(models.Model):
    """A simulator result a logged-in user kept: the query string gives a permanent URL."""

    utilisateur = models.ForeignKey(
        "guichet.User", on_delete=models.CASCADE, related_name="simulations"
    )
    parametres = models.CharField("paramètres", max_length=500)
    libelle = models.CharField("libellé", max_length=200)
    cree_le = models.DateTimeField(auto_now_add=True, verbose_name="créée le")

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "simulation enregistrée"
        verbose_name_plural = "simulations enregistrées"

    def __str__(self):
        return self.libelle

    def get_absolute_url(self):
        return f"{reverse('aides:simulateur')}?{self.parametres}"
