from django import forms
from django.conf import settings

from demographie.models import PROFESSIONS
from guichet.forms import CommuneField, FormulaireDsfr
from guichet.models import Departement, Region
from guichet.televersements import valider_csv_importe

CHOIX_PROFESSIONS = [(p.value, p.label) for p in PROFESSIONS]


def choix_territoires():
    choix = [("", "—"), ("france:FR", "France entière")]
    choix.append(("Régions", [(f"region:{r.code}", r.nom) for r in Region.objects.order_by("nom")]))
    choix.append(
        (
            "Départements",
            [(f"departement:{d.code}", f"{d.code} — {d.nom}") for d in Departement.objects.all()],
        )
    )
    return choix


class TerritoireForm(FormulaireDsfr):
    """The demography selector: a commune typed (name or postal code) or a territory chosen.

    ``cible`` is the (level, code) of the page to show; a typed commune wins over the list.
    """

    marquer_facultatifs = False  # one of the two is needed, neither alone is

    commune = CommuneField(
        label="Commune",
        required=False,
        help_text="Nom de la commune ou code postal, par exemple « Niort » ou « 79000 ».",
    )
    territoire = forms.ChoiceField(
        label="Ou un territoire", choices=choix_territoires, required=False
    )
    profession = forms.ChoiceField(label="Profession", choices=CHOIX_PROFESSIONS)

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune")
        if commune:
            cleaned["cible"] = ("commune", commune.code)
        elif cleaned.get("territoire"):
            cleaned["cible"] = tuple(cleaned["territoire"].split(":", 1))
        elif not self.has_error("commune"):
            raise forms.ValidationError(
                "Saisissez une commune ou choisissez un territoire dans la liste."
            )
        return cleaned


class ChoixForm(FormulaireDsfr):
    """The year and profession of a territory page (invalid values fall back to defaults)."""

    marquer_facultatifs = False

    profession = forms.ChoiceField(label="Profession", choices=CHOIX_PROFESSIONS, required=False)
    # a bounded integer, not a list of 111 choices copied into every form of every request
    annee = forms.IntegerField(label="Année", required=False, min_value=1990, max_value=2100)


class ImportForm(FormulaireDsfr):
    fichier = forms.FileField(
        label="Fichier CSV canonique",
        help_text="UTF-8, séparateur « ; », en-tête "
        "annee;niveau;code_territoire;profession;tranche_age;sexe;mode_exercice;effectif",
    )

    def clean_fichier(self):
        return valider_csv_importe(
            self.cleaned_data["fichier"], taille_max=settings.IMPORT_DEMOGRAPHIE_TAILLE_MAX
        )

    source = forms.CharField(
        label="Source des données",
        max_length=200,
        help_text="Par exemple : DREES, RPPS au 1er janvier 2025.",
    )
