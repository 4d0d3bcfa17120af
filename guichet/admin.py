from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from guichet import roles, scoping
from guichet.admin_scoping import PerimetreAdminMixin
from guichet.models import Commune, Departement, JeuDeDonnees, PageEditoriale, Region, User

admin.site.site_header = "Administration du guichet unique"
admin.site.site_title = "Administration du guichet unique"
admin.site.index_title = "Gestion des contenus"


class LectureSeuleMixin:
    """Reference data comes from imports, never from hand edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    perimetre_region = "pk"
    perimetre_departement = None
    list_display = ["code", "nom", "fuseau_horaire", "outre_mer"]
    search_fields = ["nom", "code"]


@admin.register(Departement)
class DepartementAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    perimetre_region = "region"
    perimetre_departement = "pk"
    list_display = ["code", "nom", "region"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["nom", "code"]
    list_select_related = ["region"]


@admin.register(Commune)
class CommuneAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    perimetre_region = "departement__region"
    perimetre_departement = "departement"
    list_display = ["code", "nom", "departement", "codes_postaux", "population"]
    list_filter = [("departement", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["nom", "code", "codes_postaux_prefixe"]
    list_select_related = ["departement"]
    show_full_result_count = False


@admin.register(User)
class UserAdmin(PerimetreAdminMixin, BaseUserAdmin):
    """Staff accounts; a regional agent manages only the agents of their own territory."""

    perimetre_region = "regions"
    perimetre_departement = "departements"
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "perimetre", "is_active"]
    list_filter = ["is_staff", "is_active", "perimetre_national", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = ["regions", "departements", "groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        (
            "Profil",
            {"fields": ["profession", "specialite", "situation", "departement_interet"]},
        ),
        (
            "Rôle et périmètre",
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "groups",
                    "perimetre_national",
                    "regions",
                    "departements",
                ]
            },
        ),
        ("Droits avancés", {"fields": ["is_superuser", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "password1", "password2", "is_staff", "groups", "regions"],
            },
        )
    ]
    raw_id_fields = ["departement_interet"]

    @admin.display(description="périmètre")
    def perimetre(self, obj):
        if obj.is_superuser or obj.perimetre_national:
            return "national"
        noms = [r.nom for r in obj.regions.all()] + [d.code for d in obj.departements.all()]
        return ", ".join(noms) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions", "departements")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if scoping.est_national(request.user):
            return fieldsets
        # Regional staff cannot grant national scope or raw permissions.
        interdits = {"is_superuser", "user_permissions", "perimetre_national"}
        return [
            (nom, {**opts, "fields": [f for f in opts["fields"] if f not in interdits]})
            for nom, opts in fieldsets
            if [f for f in opts["fields"] if f not in interdits]
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not scoping.est_national(request.user):
            kwargs["queryset"] = Group.objects.filter(
                name__in=[roles.AGENT_ARS, roles.REFERENT_INSTALLATION]
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PageEditoriale)
class PageEditorialeAdmin(admin.ModelAdmin):
    """National pages: only national staff edit them (see has_*_permission)."""

    list_display = ["titre", "cle", "statut_publication", "revoir_le", "mis_a_jour_le",
                    "mis_a_jour_par"]  # fmt: skip
    list_filter = ["statut_publication"]
    search_fields = ["titre", "contenu"]
    readonly_fields = ["mis_a_jour_le", "mis_a_jour_par"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scoping.est_national(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and scoping.est_national(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and scoping.est_national(request.user)

    def save_model(self, request, obj, form, change):
        obj.mis_a_jour_par = request.user
        super().save_model(request, obj, form, change)


@admin.register(JeuDeDonnees)
class JeuDeDonneesAdmin(LectureSeuleMixin, admin.ModelAdmin):
    list_display = ["nom", "empreinte", "charge_le"]
