from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from guichet import scoping
from guichet.admin_lecture_seule import LectureSeuleMixin
from guichet.admin_publication import PublicationAdminMixin
from guichet.admin_scoping import PerimetreAdminMixin
from guichet.models import Commune, Departement, JeuDeDonnees, PageEditoriale, Region, User

admin.site.site_header = "Administration du guichet unique"
admin.site.site_title = "Administration du guichet unique"
admin.site.index_title = "Gestion des contenus"


@admin.register(Region)
class RegionAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["code", "nom", "fuseau_horaire", "outre_mer"]
    search_fields = ["nom", "code"]


@admin.register(Departement)
class DepartementAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["nom", "code"]
    list_select_related = ["region"]


@admin.register(Commune)
class CommuneAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["code", "nom", "departement", "codes_postaux", "population"]
    list_filter = [("departement", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["nom", "code", "codes_postaux_prefixe"]
    list_select_related = ["departement"]
    show_full_result_count = False


@admin.register(User)
class UserAdmin(PerimetreAdminMixin, BaseUserAdmin):
    """Staff accounts; a regional agent manages only the agents wholly inside their territory.

    Which accounts and which groups are reachable is decided by guichet.scoping (declaration
    ``comptes()``): never an account that also belongs elsewhere, never more rights than one's own.
    """

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
                "fields": [
                    "email",
                    "password1",
                    "password2",
                    "is_staff",
                    "groups",
                    "regions",
                    "departements",
                ],
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
        if request.user.is_superuser:
            return fieldsets
        # Only superusers make superusers; regional staff never grant national scope or raw
        # permissions.
        interdits = {"is_superuser"}
        if not scoping.est_national(request.user):
            interdits |= {"user_permissions", "perimetre_national"}
        return [
            (nom, {**opts, "fields": [f for f in opts["fields"] if f not in interdits]})
            for nom, opts in fieldsets
            if [f for f in opts["fields"] if f not in interdits]
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = scoping.groupes_accordables(request.user)
        elif db_field.name == "user_permissions":
            kwargs["queryset"] = scoping.permissions_accordables_qs(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PageEditoriale)
class PageEditorialeAdmin(PublicationAdminMixin, PerimetreAdminMixin, admin.ModelAdmin):
    """National pages: only national staff edit them (declared national in perimetres.py)."""

    list_display = [
        "titre",
        "cle",
        "statut_publication",
        "revoir_le",
        "mis_a_jour_le",
        "mis_a_jour_par",
    ]
    list_filter = ["statut_publication"]
    search_fields = ["titre", "contenu"]
    readonly_fields = ["mis_a_jour_le", "mis_a_jour_par"]

    def save_model(self, request, obj, form, change):
        obj.mis_a_jour_par = request.user
        super().save_model(request, obj, form, change)


@admin.register(JeuDeDonnees)
class JeuDeDonneesAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "empreinte", "charge_le"]


# -- the audit trail: read-only, for national administrators only

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class JournalAdmin(LogEntryAdmin):
    list_display = ["created", "resource_url", "action", "msg_short", "auteur", "remote_addr"]
    fieldsets = [
        (None, {"fields": ["created", "auteur", "remote_addr", "resource_url", "cid"]}),
        ("Modifications", {"fields": ["action", "msg"]}),
    ]
    readonly_fields = ["created", "auteur", "remote_addr", "resource_url", "action", "msg"]

    @admin.display(description="auteur")
    def auteur(self, obj):
        return obj.actor_email or (obj.actor and obj.actor.email) or "anonyme"

    def has_view_permission(self, request, obj=None):
        return scoping.est_national(request.user) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # entries leave only through the retention purge
