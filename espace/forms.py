from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from aides.models import Aide
from espace.models import Accompagnement, Question
from guichet import roles, scoping
from guichet.forms import CommuneField, FormulaireDsfr
from guichet.publication import StatutPublication
from guichet.vocabulaire import Profession, Situation


class QuestionForm(FormulaireDsfr):
    profession = forms.ChoiceField(choices=[("", "Choisir")] + Profession.choices)
    situation = forms.ChoiceField(choices=[("", "Choisir")] + Situation.choices)
    commune = CommuneField(
        label="Commune où vous envisagez d'exercer",
        help_text="Nom de la commune ou code postal : votre question va au référent de son "
        "département.",
    )
    sujet = forms.CharField(max_length=200)
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text="N'indiquez pas de données de santé.",
    )
    courriel = forms.EmailField(
        label="Adresse électronique", help_text="Pour recevoir l'accusé de réception et la réponse."
    )


class ReponseForm(FormulaireDsfr):
    texte = forms.CharField(
        label="Votre réponse",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text="Envoyée par courriel à la personne et conservée dans l'échange.",
    )
    clore = forms.BooleanField(label="Clore la question après l'envoi", required=False)


def equipe(departements):
    """Staff who may take a question or accompaniment of these départements (the team)."""
    User = get_user_model()
    codes = [d.pk for d in departements]
    regions = {d.region_id for d in departements}
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(departements__in=codes)
            | Q(regions__in=regions)
            | Q(perimetre_national=True)
            | Q(is_superuser=True)
        )
        .filter(Q(groups__name__in=roles.ROLES) | Q(is_superuser=True))
        .distinct()
        .order_by("last_name", "email")
    )


class AttributionForm(FormulaireDsfr):
    referent = forms.ModelChoiceField(label="Attribuer à", queryset=None, empty_label=None)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = equipe([question.departement])


class AccompagnementForm(FormulaireDsfr, forms.ModelForm):
    commune_cible = CommuneField(label="Commune envisagée", required=False)

    class Meta:
        model = Accompagnement
        fields = [
            "nom",
            "courriel",
            "telephone",
            "profession",
            "departement",
            "commune_cible",
            "premier_contact_le",
            "aides",
            "referent",
            "notes",
        ]
        widgets = {
            "premier_contact_le": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "aides": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["departement"].queryset = scoping.departements_du_perimetre(user).order_by(
            "code"
        )
        self.fields["aides"].queryset = Aide.objects.exclude(
            statut_publication=StatutPublication.BROUILLON
        ).order_by("nom")
        self.fields["referent"].queryset = equipe(list(self.fields["departement"].queryset))
        self.fields["referent"].required = False

    def clean_premier_contact_le(self):
        jour = self.cleaned_data["premier_contact_le"]
        if jour > timezone.localdate():
            raise forms.ValidationError("La date du premier contact ne peut être dans le futur.")
        return jour

    def clean(self):
        cleaned = super().clean()
        departement, commune = cleaned.get("departement"), cleaned.get("commune_cible")
        if commune and departement and commune.departement_id != departement.pk:
            self.add_error("commune_cible", "Cette commune n'est pas dans le département choisi.")
        referent = cleaned.get("referent")
        if referent and departement:
            if not equipe([departement]).filter(pk=referent.pk).exists():
                self.add_error("referent", "Cette personne ne couvre pas ce département.")
        return cleaned


class EtapeForm(FormulaireDsfr):
    etape = forms.ChoiceField(label="Nouvelle étape", choices=Accompagnement.Etape.choices)
    le = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    commune = CommuneField(
        label="Commune d'installation",
        required=False,
        help_text="Pour l'étape « Installé » : par défaut, la commune envisagée.",
    )


class CaseloadFiltre(FormulaireDsfr):
    marquer_facultatifs = False
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    etape = forms.ChoiceField(
        label="Étape", required=False, choices=[("", "Toutes")] + Accompagnement.Etape.choices
    )
    profession = forms.ChoiceField(
        label="Profession", required=False, choices=[("", "Toutes")] + Profession.choices
    )
    departement = forms.ModelChoiceField(
        label="Département", required=False, queryset=None, empty_label="Tous"
    )
    miens = forms.BooleanField(label="Seulement ceux que je suis", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["departement"].queryset = scoping.departements_du_perimetre(user).order_by(
            "code"
        )

    def filtrer(self, qs):
        if not self.is_valid():
            return qs
        donnees = self.cleaned_data
        qs = qs.recherche(donnees["q"])
        if donnees["etape"]:
            qs = qs.filter(etape=donnees["etape"])
        if donnees["profession"]:
            qs = qs.filter(profession=donnees["profession"])
        if donnees["departement"]:
            qs = qs.filter(departement=donnees["departement"])
        if donnees["miens"]:
            qs = qs.filter(referent=self.user)
        return qs


class BoiteFiltre(FormulaireDsfr):
    marquer_facultatifs = False
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "À traiter (nouvelles et en cours)"), ("toutes", "Toutes")]
        + Question.Statut.choices,
    )
    miennes = forms.BooleanField(label="Seulement celles qui me sont attribuées", required=False)

    def filtrer(self, qs, user):
        statut = self.cleaned_data.get("statut") if self.is_valid() else ""
        if not statut:
            qs = qs.ouvertes()
        elif statut != "toutes":
            qs = qs.filter(statut=statut)
        if self.is_valid() and self.cleaned_data["miennes"]:
            qs = qs.filter(referent=user)
        return qs
