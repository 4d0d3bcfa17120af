from django.contrib import admin

from espace.models import (
    Accompagnement,
    ChangementEtape,
    CompteurJournalier,
    MessageQuestion,
    Question,
)
from guichet.admin_scoping import PerimetreAdminMixin


class MessageInline(admin.TabularInline):
    model = MessageQuestion
    extra = 0
    can_delete = False
    readonly_fields = ["auteur", "texte", "envoye_le", "envoi_reussi"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    """Read and correct; answering happens in the staff space (it sends the e-mail)."""

    list_display = ["sujet", "departement", "statut", "recue_le", "echeance", "referent"]
    list_filter = ["statut", ("departement", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["sujet", "courriel"]
    date_hierarchy = "recue_le"
    readonly_fields = ["statut", "recue_le", "premiere_reponse_le", "close_le", "anonymisee_le"]
    raw_id_fields = ["commune", "utilisateur", "referent", "accompagnement"]
    exclude = ["region"]  # follows the département
    inlines = [MessageInline]


class ChangementInline(admin.TabularInline):
    model = ChangementEtape
    extra = 0
    can_delete = False
    readonly_fields = ["de", "vers", "le", "par", "enregistre_le"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Accompagnement)
class AccompagnementAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "profession", "departement", "etape", "premier_contact_le", "referent"]
    list_filter = ["etape", "profession", ("departement", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["nom", "courriel"]
    readonly_fields = ["etape", "installe_le", "commune_installation"]
    raw_id_fields = ["commune_cible", "utilisateur", "referent", "plan"]
    exclude = ["region"]  # follows the département
    filter_horizontal = ["aides"]
    inlines = [ChangementInline]


@admin.register(CompteurJournalier)
class CompteurJournalierAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["jour", "indicateur", "region", "departement", "nombre"]
    list_filter = ["indicateur"]
    date_hierarchy = "jour"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
