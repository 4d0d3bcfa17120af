from django import forms

from guichet.forms import CommuneField, FormulaireDsfr
from guichet.vocabulaire import Profession
from installation.models import Structure
from opportunites.models import Frequence, MotifSignalement, Opportunite

OUI_NON_INCONNU = [("", "Non précisé"), ("oui", "Oui"), ("non", "Non")]


class OpportuniteForm(FormulaireDsfr, forms.ModelForm):
    """What the author fills in; the state, dates of moderation and author are never fields."""

    professions = forms.MultipleChoiceField(
        label="Professions recherchées",
        choices=Profession.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une profession."},
    )
    commune = CommuneField(
        label="Commune",
        help_text="Nom ou code postal, par exemple « Felletin » ou « 23500 ».",
        error_messages={"required": "Indiquez la commune."},
    )
    secretariat = forms.TypedChoiceField(
        label="Secrétariat",
        choices=OUI_NON_INCONNU,
        coerce=lambda v: {"oui": True, "non": False}.get(v),
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Opportunite
        fields = [
            "qualite_auteur",
            "structure",
            "structure_accueil",
            "nature",
            "titre",
            "professions",
            "commune",
            "debut",
            "fin",
            "loyer_mensuel",
            "retrocession",
            "salaire_mensuel",
            "secretariat",
            "equipement",
            "equipe",
            "description",
            "piece_jointe",
        ]
        widgets = {
            "debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "fin": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "equipement": forms.Textarea(attrs={"rows": 3}),
            "equipe": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "structure": "Maison de santé, centre de santé, commune ou établissement qui propose.",
            "description": "Présentez l'activité, le territoire, les conditions. Mise en forme "
            "Markdown possible (**gras**, listes). Aucune donnée de patient.",
            "debut": "Obligatoire pour un remplacement.",
            "structure_accueil": "Une maison ou un centre de santé du répertoire FINESS, du "
            "département de la commune ou à 30 km au plus. La liste suit la commune enregistrée "
            ": enregistrez le brouillon après avoir choisi la commune pour la voir.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.secretariat is not None:
            self.initial["secretariat"] = "oui" if self.instance.secretariat else "non"
        self._structures_proposees()

    def _structures_proposees(self):
        """Any structure validates; the list offers those of the saved commune (the check
        against the chosen commune is in ``clean``)."""
        champ = self.fields["structure_accueil"]
        champ.queryset = Structure.objects.select_related("commune")
        commune = self.instance.commune if self.instance.commune_id else None
        proposees = Structure.objects.pour_annonce(commune).pour_liste() if commune else []
        choix = [("", "Aucune")] + [(s.pk, str(s)) for s in proposees]
        actuelle = self.instance.structure_accueil if self.instance.structure_accueil_id else None
        if actuelle is not None and all(pk != actuelle.pk for pk, _ in choix):
            choix.append((actuelle.pk, str(actuelle)))
        champ.widget.choices = choix

    def clean(self):
        donnees = super().clean()
        if donnees.get("qualite_auteur") and donnees["qualite_auteur"] != "professionnel":
            if not (donnees.get("structure") or "").strip():
                self.add_error("structure", "Indiquez le nom de la structure qui propose.")
        accueil, commune = donnees.get("structure_accueil"), donnees.get("commune")
        if (
            accueil
            and commune
            and not Structure.objects.pour_annonce(commune).filter(pk=accueil.pk).exists()
        ):
            self.add_error(
                "structure_accueil",
                "Cette structure n'est ni dans le département de la commune ni à 30 km au plus.",
            )
        return donnees


class MotifForm(FormulaireDsfr):
    texte = forms.CharField(
        label="Message à l'auteur",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Ce message est obligatoire : il est envoyé à l'auteur."},
    )


class MessageForm(FormulaireDsfr):
    texte = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text="Présentez-vous et votre projet. Votre adresse électronique n'est pas "
        "transmise : l'auteur vous répond par le portail.",
        error_messages={"required": "Écrivez votre message."},
    )


class ReponseForm(FormulaireDsfr):
    texte = forms.CharField(
        label="Votre réponse",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text="Votre réponse part avec votre adresse électronique : la personne pourra "
        "vous écrire directement.",
        error_messages={"required": "Écrivez votre réponse."},
    )


class AlerteRechercheForm(FormulaireDsfr):
    """Save the list's current search (its query string, re-read by the list's FilterSet)."""

    parametres = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    frequence = forms.ChoiceField(
        label="Recevoir les nouveautés", choices=Frequence.choices, initial=Frequence.HEBDOMADAIRE
    )


class AlerteCommuneForm(FormulaireDsfr):
    """New or changed aids and zoning for a commune and a profession."""

    commune = CommuneField(
        label="Commune",
        help_text="Nom ou code postal.",
        error_messages={"required": "Indiquez la commune."},
    )
    profession = forms.ChoiceField(label="Profession", choices=Profession.choices)
    frequence = forms.ChoiceField(
        label="Recevoir les nouveautés", choices=Frequence.choices, initial=Frequence.HEBDOMADAIRE
    )


class SignalementForm(FormulaireDsfr):
    """A reason chosen from a list: nothing typed reaches the ARS's queue or anyone's inbox."""

    motif = forms.ChoiceField(
        label="Motif du signalement",
        choices=[("", "Choisissez un motif")] + MotifSignalement.choices,
        error_messages={"required": "Choisissez le motif du signalement."},
    )
