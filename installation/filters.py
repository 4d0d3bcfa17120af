"""The documents list's filters (one FilterSet for the page)."""

import django_filters
from django.db.models import Q

from guichet.forms import FormulaireDsfr
from guichet.models import Departement
from installation.fichiers import FORMATS
from installation.models import Document, Parcours


class DocumentFilterForm(FormulaireDsfr):
    marquer_facultatifs = False


class DocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Mots-clés", method="filtrer_texte")
    parcours = django_filters.ModelChoiceFilter(
        label="Parcours",
        queryset=Parcours.objects.publies(),
        to_field_name="slug",
        method="filtrer_parcours",
        empty_label="Tous les parcours",
    )
    type = django_filters.ChoiceFilter(
        label="Type de document", choices=Document.Type.choices, empty_label="Tous les types"
    )
    format = django_filters.ChoiceFilter(
        label="Format",
        choices=[(k, v["libelle"]) for k, v in FORMATS.items()],
        empty_label="Tous les formats",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Département",
        help_text="Les documents nationaux, de la région et du département.",
        queryset=Departement.objects.all(),
        to_field_name="code",
        method="filtrer_departement",
        empty_label="Tous les territoires",
    )

    class Meta:
        model = Document
        fields = ["q", "parcours", "type", "format", "departement"]
        form = DocumentFilterForm

    def filtrer_texte(self, qs, name, value):
        mots = value.split()[:10]
        for mot in mots:
            qs = qs.filter(Q(titre__icontains=mot) | Q(description__icontains=mot))
        return qs

    def filtrer_parcours(self, qs, name, value):
        return qs.filter(Q(parcours=value) | Q(etapes__parcours=value)).distinct()

    def filtrer_departement(self, qs, name, value):
        return qs.pour_departement(value)
