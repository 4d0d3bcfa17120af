"""Back office of the meetings: referents, places, motifs, opening hours, absences, bookings."""

from django.contrib import admin

from guichet.admin_scoping import CasesACocherAdminMixin, PerimetreAdminMixin
from rendezvous.models import (
    Absence,
    Lieu,
    MotifRendezVous,
    Notification,
    PlageOuverture,
    Referent,
    RendezVous,
)


class PlageInline(CasesACocherAdminMixin, admin.TabularInline):
    model = PlageOuverture
    extra = 0
    filter_horizontal = ["motifs"]


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


@admin.register(Referent)
class ReferentAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    perimetre_region = None
    perimetre_departement = "departements"
    list_display = ["__str__", "liste_departements", "actif"]
    filter_horizontal = ["departements"]
    autocomplete_fields = ["utilisateur"]
    inlines = [PlageInline, AbsenceInline]

    @admin.display(description="départements")
    def liste_departements(self, obj):
        return ", ".join(d.code for d in obj.departements.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departements")


@admin.register(Lieu)
class LieuAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    perimetre_region = None
    perimetre_departement = "departement"
    list_display = ["nom", "type", "departement"]
    list_filter = ["type"]


@admin.register(MotifRendezVous)
class MotifRendezVousAdmin(admin.ModelAdmin):
    list_display = ["nom", "duree_minutes", "tampon_minutes", "delai_minimum_heures",
                    "fenetre_jours", "max_par_jour", "actif"]  # fmt: skip
    prepopulated_fields = {"slug": ["nom"]}


@admin.register(PlageOuverture)
class PlageOuvertureAdmin(CasesACocherAdminMixin, PerimetreAdminMixin, admin.ModelAdmin):
    perimetre_region = None
    perimetre_departement = "referent__departements"
    list_display = ["__str__", "referent", "lieu", "date_debut", "date_fin"]
    filter_horizontal = ["motifs"]

    def territoire_autorise(self, request, cleaned):
        referent = cleaned.get("referent")
        return (
            bool(referent)
            and ReferentAdmin.queryset_perimetre(
                Referent.objects.filter(pk=referent.pk), request.user, avec_national=False
            ).exists()
        )


@admin.register(Absence)
class AbsenceAdmin(PlageOuvertureAdmin):
    list_display = ["__str__", "motif"]
    filter_horizontal = []


class NotificationInline(admin.TabularInline):
    model = Notification
    extra = 0
    can_delete = False
    readonly_fields = ["type", "destinataire", "envoye_le", "succes", "erreur"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RendezVous)
class RendezVousAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    perimetre_region = None
    perimetre_departement = "referent__departements"
    list_display = ["debut", "motif", "nom", "referent", "statut"]
    list_filter = ["statut", "motif"]
    search_fields = ["nom", "courriel"]
    date_hierarchy = "debut"
    inlines = [NotificationInline]
    readonly_fields = ["uuid", "referent", "motif", "lieu", "debut", "fin", "fin_bloquee",
                       "cree_le", "sequence", "rappel_envoye_le", "annule_le"]  # fmt: skip
    list_select_related = ["motif", "referent__utilisateur"]

    def has_add_permission(self, request):
        return False  # bookings go through the booking service, which checks the slot

    def territoire_autorise(self, request, cleaned):
        return True  # the referent is read-only here; the queryset already limits the scope
