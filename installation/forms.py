from django import forms

from guichet.forms import ChampDepartement, CommuneField, FormulaireDsfr, SelectRapide
from guichet.vocabulaire import Profession


class DepartementForm(FormulaireDsfr):
    """The département whose contacts are shown (a GET form, every field optional)."""

    marquer_facultatifs = False

    departement = ChampDepartement(label="Votre département", required=False)


class ContactsForm(DepartementForm):
    """The contacts directory: a département, and optionally a profession."""

    profession = forms.ChoiceField(
        label="Votre profession",
        choices=[("", "Toutes les professions"), *Profession.choices],
        required=False,
        widget=SelectRapide,
    )


class PlanCommencerForm(FormulaireDsfr):
    commune = CommuneField(
        label="Commune où vous voulez vous installer",
        help_text="Nom de la commune ou code postal, par exemple « Niort » ou « 79000 ».",
    )


class SuiviEtapeForm(FormulaireDsfr):
    marquer_facultatifs = False

    fait = forms.BooleanField(label="C'est fait", required=False)
    date = forms.DateField(
        label="Date prévue ou réalisée",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label="Mes notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
