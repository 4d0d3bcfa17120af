"""The public list's filters (one FilterSet, ready for an export of the same list)."""

import django_filters
from django import forms
from django.db.models import Q

from aides.models import tsquery_prefixe
from guichet import geo
from guichet.forms import (
    CommuneField,
    CommuneInput,
    FormulaireDsfr,
    SelectRapide,
    choix_departements,
)
from guichet.models import Commune
from guichet.vocabulaire import Profession
from opportunites.models import Nature, Opportunite

RAYONS = [
    ("10", "10 km"),
    ("20", "20 km"),
    ("30", "30 km"),
    ("50", "50 km"),
    ("100", "100 km"),
    ("200", "200 km"),
]
RAYON_PAR_DEFAUT = 30


class OpportuniteFilterForm(FormulaireDsfr):
    marquer_facultatifs = False

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and au < du:
            self.add_error("au", "La date de fin précède la date de début.")
        return donnees


class LieuFilter(django_filters.Filter):
    """A commune typed by people (name or postal code), read in ``filter_queryset``."""

    field_class = CommuneField

    def filter(self, qs, value):
        return qs


class OpportuniteFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Mots-clés", method="filtrer_texte")
    profession = django_filters.ChoiceFilter(
        label="Profession",
        choices=Profession.choices,
        method="filtrer_profession",
        empty_label="Toutes les professions",
        widget=SelectRapide,
    )
    nature = django_filters.ChoiceFilter(
        label="Type d'annonce",
        choices=Nature.choices,
        empty_label="Tous les types",
        widget=SelectRapide,
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        choices=choix_departements,
        field_name="commune__departement",
        empty_label="Tous les départements",
        widget=SelectRapide,
    )
    # One parameter, like every commune field of the portal: ``commune`` carries the INSEE code
    # the portal writes (links, the form's hidden input), ``commune_saisie`` what people type.
    commune = LieuFilter(
        label="Près de la commune", widget=CommuneInput, help_text="Nom ou code postal."
    )
    rayon = django_filters.ChoiceFilter(
        label="Dans un rayon de",
        choices=RAYONS,
        method="filtrer_rien",
        empty_label=f"{RAYON_PAR_DEFAUT} km",
        widget=SelectRapide,
    )
    du = django_filters.DateFilter(
        label="Disponible du",
        method="filtrer_rien",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    au = django_filters.DateFilter(
        label="au", method="filtrer_rien", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Opportunite
        fields = ["q", "profession", "nature", "departement", "commune", "rayon", "du", "au"]
        form = OpportuniteFilterForm

    def filtrer_rien(self, qs, name, value):
        return qs  # read together in ``filter_queryset``

    def filtrer_texte(self, qs, name, value):
        requete = tsquery_prefixe(value)
        return qs.filter(recherche=requete) if requete is not None else qs

    def filtrer_profession(self, qs, name, value):
        return qs.filter(professions__contains=[value])

    @property
    def centre(self) -> Commune | None:
        """The commune searched around (a link's INSEE code or the typed commune)."""
        if not (self.is_bound and self.form.is_valid()):
            return None
        return self.form.cleaned_data.get("commune")

    @property
    def rayon_km(self) -> int:
        valeur = self.form.cleaned_data.get("rayon") if self.form.is_valid() else None
        return int(valeur) if valeur else RAYON_PAR_DEFAUT

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        donnees = self.form.cleaned_data
        if donnees.get("au"):
            qs = qs.filter(Q(debut__isnull=True) | Q(debut__lte=donnees["au"]))
        if donnees.get("du"):
            qs = qs.filter(Q(fin__isnull=True) | Q(fin__gte=donnees["du"]))
        centre = self.centre
        if centre is None:
            return qs.order_by("-publiee_le", "-pk")
        if not centre.situee:  # no outline: the posts of the commune itself
            return qs.filter(commune=centre).order_by("-publiee_le", "-pk")
        return geo.filtrer_rayon(
            qs, centre.latitude, centre.longitude, self.rayon_km, prefixe="commune__"
        ).order_by("distance_km", "-publiee_le", "-pk")
