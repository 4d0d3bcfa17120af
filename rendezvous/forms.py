import re

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


# A person's name: letters (any alphabet), spaces, hyphens, apostrophes, initials' points.
# It is written in e-mails the portal sends to the typed address: no link, no digits, no long
# text can ride in it ("www.x.fr", "x.com/…" fail: a point directly followed by lower case).
NOM_MAX = 80
_NOM = re.compile(r"^(?:[^\W\d_]|[ '’.-])+$")
_POINT_DE_DOMAINE = re.compile(r"\.[a-z]")


class RendezVousForm(FormulaireDsfr):
    nom = forms.CharField(
        label="Prénom et nom",
        max_length=NOM_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    courriel = forms.EmailField(
        label="Adresse électronique",
        help_text="La confirmation et le lien pour annuler y sont envoyés. Format attendu : "
        "nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    telephone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        help_text="Utile si le référent doit vous joindre.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
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

    def clean_nom(self):
        nom = " ".join(self.cleaned_data["nom"].split())
        if not _NOM.match(nom) or _POINT_DE_DOMAINE.search(nom):
            raise forms.ValidationError(
                "Saisissez votre prénom et votre nom, en lettres (sans chiffres ni adresse web)."
            )
        return nom


class AnnulationReferentForm(FormulaireDsfr):
    raison = forms.CharField(
        label="Raison de l'annulation (envoyée à la personne)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
