from django.contrib import admin
from django.utils.html import format_html

from guichet.admin_lecture_seule import LectureSeuleMixin
from guichet.admin_publication import PublicationAdminMixin
from guichet.admin_scoping import CasesACocherAdminMixin, PerimetreAdminMixin
from guichet.text import taille_fichier
from installation.models import (
    Actualite,
    Contact,
    Document,
    Etape,
    Evenement,
    Parcours,
    Structure,
)

# -- parcours, directory, documents, events and news ----------------------------------------
# National content is shown read-only to regional staff; each agent edits their territory's.


class EtapeInline(admin.TabularInline):
    model = Etape
    extra = 0
    fields = ["ordre", "phase", "titre", "organisation", "obligatoire", "region", "departement"]
    autocomplete_fields = ["organisation"]
    show_change_link = True


@admin.register(Parcours)
class ParcoursAdmin(
    PublicationAdminMixin, CasesACocherAdminMixin, PerimetreAdminMixin, admin.ModelAdmin
):
    list_display = [
        "titre",
        "profession",
        "mode_exercice",
        "territoire",
        "statut_publication",
        "revoir_le",
        "ordre",
    ]
    list_filter = ["statut_publication", "profession", "mode_exercice"]
    search_fields = ["titre", "slug"]
    prepopulated_fields = {"slug": ["titre"]}
    list_select_related = ["region", "departement"]
    inlines = [EtapeInline]


@admin.register(Etape)
class EtapeAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["titre", "parcours", "phase", "ordre", "organisation", "territoire"]
    list_filter = ["phase", "parcours", "obligatoire"]
    search_fields = ["titre", "slug", "description"]
    prepopulated_fields = {"slug": ["titre"]}
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["aides"]
    list_select_related = ["parcours", "organisation", "region", "departement"]


@admin.register(Contact)
class ContactAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["intitule", "organisation", "departement", "telephone", "fictif"]
    list_filter = ["fictif", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["intitule", "organisation__nom"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation", "departement"]


@admin.register(Structure)
class StructureAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    """Imported from FINESS (import_finess): listed and shown, never edited by hand."""

    list_display = ["nom", "categorie", "commune", "finess", "position_adresse", "fictive"]
    list_filter = ["categorie", "fictive", "position_adresse"]
    search_fields = ["nom", "finess", "commune__nom"]
    list_select_related = ["commune"]

    def get_queryset(self, request):
        # the name shows its commune (str), in the list and in the posts' autocomplete
        return super().get_queryset(request).select_related("commune")


@admin.register(Document)
class DocumentAdmin(
    PublicationAdminMixin, CasesACocherAdminMixin, PerimetreAdminMixin, admin.ModelAdmin
):
    list_display = [
        "titre",
        "type",
        "format",
        "taille_lisible",
        "date",
        "territoire",
        "statut_publication",
        "revoir_le",
        "lien",
    ]
    list_filter = ["statut_publication", "type", "format"]
    search_fields = ["titre", "description"]
    readonly_fields = ["format", "taille_lisible", "nom_fichier", "ajoute_le"]
    filter_horizontal = ["parcours", "etapes", "aides"]
    list_select_related = ["region", "departement"]
    fieldsets = [
        (None, {"fields": ["titre", "description", "type", "date", "fichier"]}),
        ("Publication", {"fields": ["statut_publication", "revoir_le"]}),
        (
            "Fichier enregistré",
            {"fields": ["format", "taille_lisible", "nom_fichier", "ajoute_le"]},
        ),
        ("Territoire et publics", {"fields": ["region", "departement", "publics"]}),
        ("Liens", {"fields": ["parcours", "etapes", "aides"]}),
    ]

    @admin.display(description="taille")
    def taille_lisible(self, obj):
        return taille_fichier(obj.taille) if obj.taille else "—"

    @admin.display(description="fichier")
    def lien(self, obj):
        return format_html('<a href="{}">Télécharger</a>', obj.get_absolute_url())


@admin.register(Evenement)
class EvenementAdmin(CasesACocherAdminMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["titre", "type", "debut", "lieu", "territoire", "publie", "fictif"]
    list_filter = ["type", "publie", "fictif"]
    search_fields = ["titre", "lieu"]
    date_hierarchy = "debut"
    list_select_related = ["region", "departement"]


@admin.register(Actualite)
class ActualiteAdmin(CasesACocherAdminMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["titre", "publiee_le", "territoire", "fictif"]
    list_filter = ["fictif"]
    search_fields = ["titre", "texte"]
    list_select_related = ["region", "departement"]
