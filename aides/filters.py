"""One FilterSet for the list page and its CSV/JSON exports."""

import django_filters

from aides.models import Aide, Organisation, TypeAide
from guichet.cache import garde
from guichet.forms import (
    CommuneField,
    CommuneInput,
    FormulaireDsfr,
    SelectRapide,
    choix_departements,
)
from guichet.models import Departement
from guichet.vocabulaire import Profession, Situation


# Read on every view of the list: kept under the "aides" version (départements: guichet.forms).
@garde("options", "aides")
def choix_financeurs() -> list[tuple[str, str]]:
    financeurs = Organisation.objects.filter(financements__role="financeur").distinct()
    return [(o.code, str(o)) for o in financeurs]


class AideFilterForm(FormulaireDsfr):
    marquer_facultatifs = False


class CommuneFilter(django_filters.Filter):
    """A commune by INSEE code (shareable URLs) or typed by name without JavaScript."""

    field_class = CommuneField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.pour_commune(value, self.parent.form.cleaned_data.get("profession") or None)


class AideFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Mots-clés", method="filtrer_texte")
    profession = django_filters.ChoiceFilter(
        label="Profession",
        choices=Profession.choices,
        method="filtrer_profession",
        empty_label="Toutes les professions",
        widget=SelectRapide,
    )
    situation = django_filters.ChoiceFilter(
        label="Situation",
        choices=Situation.choices,
        method="filtrer_situation",
        empty_label="Toutes les situations",
        widget=SelectRapide,
    )
    commune = CommuneFilter(
        label="Commune d'exercice",
        help_text="Nom ou code postal. Les aides de la zone et le zonage de la commune pour "
        "votre profession sont pris en compte.",
        widget=CommuneInput,
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        choices=choix_departements,
        method="filtrer_departement",
        empty_label="Tous les départements",
        widget=SelectRapide,
    )
    financeur = django_filters.ChoiceFilter(
        label="Financeur",
        choices=choix_financeurs,
        method="filtrer_financeur",
        empty_label="Tous les financeurs",
        widget=SelectRapide,
    )
    type = django_filters.ChoiceFilter(
        label="Type d'aide",
        choices=TypeAide.choices,
        empty_label="Tous les types",
        widget=SelectRapide,
    )
    ouvertes = django_filters.ChoiceFilter(
        label="Dispositifs",
        choices=[("1", "Ouverts uniquement"), ("0", "Ouverts et clos")],
        empty_label=None,
        method="filtrer_ouvertes",
        widget=SelectRapide,
    )

    class Meta:
        model = Aide
        fields = [
            "q",
            "profession",
            "situation",
            "commune",
            "departement",
            "financeur",
            "type",
            "ouvertes",
        ]
        form = AideFilterForm

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        # Closed schemes are excluded unless asked for.
        if not data.get("ouvertes"):
            data["ouvertes"] = "1"
        super().__init__(data, *args, **kwargs)

    def filtrer_texte(self, qs, name, value):
        return qs.recherche(value) if value.strip() else qs

    def filtrer_profession(self, qs, name, value):
        return qs.pour_profession(value)

    def filtrer_situation(self, qs, name, value):
        return qs.pour_situation(value)

    def filtrer_departement(self, qs, name, value):
        departement = Departement.objects.filter(code=value).first()
        return qs.dans_departement(departement) if departement else qs.none()

    def filtrer_financeur(self, qs, name, value):
        return qs.filter(financements__organisation__code=value, financements__role="financeur")

    def filtrer_ouvertes(self, qs, name, value):
        return qs.ouvertes() if value == "1" else qs

    @property
    def commune_choisie(self):
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("commune")
        return None
