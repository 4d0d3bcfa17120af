from django import forms

from guichet.forms import CommuneField, FormulaireDsfr
from guichet.vocabulaire import Profession, Situation


class ChoixTerritoireForm(FormulaireDsfr):
    marquer_facultatifs = False
    departement = forms.ChoiceField(label="Votre département", required=False)
    commune = CommuneField(
        label="Ou votre commune",
        required=False,
        help_text="Nom de la commune ou code postal, par exemple « Niort » ou « 97200 ».",
    )

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Choisir un département")] + [
            (d.code, f"{d.code} — {d.nom}") for d in departements
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("departement") and not cleaned.get("commune"):
            raise forms.ValidationError("Choisissez un département ou saisissez une commune.")
        return cleaned


class RendezVousForm(FormulaireDsfr):
    nom = forms.CharField(label="Prénom et nom", max_length=150, widget=forms.TextInput(
        attrs={"autocomplete": "name"}))  # fmt: skip
    courriel = forms.EmailField(
        label="Adresse électronique",
        help_text="La confirmation et le lien pour annuler y sont envoyés. Format attendu : "
        "nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    telephone = forms.CharField(
        label="Téléphone", max_length=30, required=False,
        help_text="Utile si le référent doit vous joindre.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )  # fmt: skip
    profession = forms.ChoiceField(
        label="Profession", choices=[("", "—"), *Profession.choices], required=False
    )
    situation = forms.ChoiceField(
        label="Situation", choices=[("", "—"), *Situation.choices], required=False
    )
    commune = CommuneField(
        label="Commune envisagée pour l'installation",
        required=False,
        help_text="Nom de la commune ou code postal.",
    )
    message = forms.CharField(
        label="Votre question en quelques mots",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    nonce = forms.CharField(widget=forms.HiddenInput)
