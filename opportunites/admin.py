from django.contrib import admin

from guichet.admin_scoping import PerimetreAdminMixin
from opportunites.models import Opportunite


@admin.register(Opportunite)
class OpportuniteAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    """Corrections by the territory's staff; moderation itself is in the Espace ARS (the state
    changes are the model's guarded methods, never a field edited here)."""

    list_display = ["titre", "nature", "commune", "statut", "soumise_le", "expire_le"]
    list_filter = ["statut", "nature", "qualite_auteur"]
    search_fields = ["titre", "structure", "commune__nom"]
    autocomplete_fields = ["commune", "structure_accueil"]
    readonly_fields = [
        "auteur",
        "statut",
        "cree_le",
        "modifiee_le",
        "soumise_le",
        "publiee_le",
        "close_le",
        "expire_le",
        "moderee_par",
        "motif_refus",
        "modifications_demandees",
    ]
    fieldsets = [
        (None, {"fields": ["titre", "nature", "professions", "commune", "debut", "fin"]}),
        (
            "Conditions",
            {
                "fields": [
                    "loyer_mensuel",
                    "retrocession",
                    "salaire_mensuel",
                    "secretariat",
                    "equipement",
                    "equipe",
                    "description",
                ]
            },
        ),
        ("Auteur", {"fields": ["auteur", "qualite_auteur", "structure", "structure_accueil"]}),
        (
            "Modération",
            {
                "fields": [
                    "statut",
                    "cree_le",
                    "modifiee_le",
                    "soumise_le",
                    "publiee_le",
                    "expire_le",
                    "close_le",
                    "moderee_par",
                    "motif_refus",
                    "modifications_demandees",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # a post has an author from the public site, never an agent's invention
