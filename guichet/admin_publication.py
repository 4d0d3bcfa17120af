"""Publication in the admin: every change of status goes through the model's guarded transitions.

The change form keeps its "publication" choice, but a change of status calls
``Publiable.passer_a`` (hence ``publier``, ``archiver`` or ``repasser_en_brouillon``): a forbidden
one is a form error in French and nothing is saved. The actions "Publier", "Archiver" and
"Repasser en brouillon" call the same transitions on each selected object, all or nothing, and
save each object through ``save_model`` (scope check, audit trail, the admin's history).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction

CHAMP = "statut_publication"

# action → (transition, singular, plural)
ACTIONS = {
    "publier": ("publier", "contenu publié", "contenus publiés"),
    "archiver": ("archiver", "contenu archivé", "contenus archivés"),
    "repasser_en_brouillon": (
        "repasser_en_brouillon",
        "contenu repassé en brouillon",
        "contenus repassés en brouillon",
    ),
}
REFUS = "Action refusée, rien n'a été modifié : {details}"
AUCUN = "Aucun contenu de votre liste n'est sélectionné : rien n'a été modifié."


class PublicationAdminMixin:
    """For the admin of a ``Publiable`` model (put it before PerimetreAdminMixin)."""

    actions = ["publier", "archiver", "repasser_en_brouillon"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return formulaire_publication(super().get_form(request, obj, change=change, **kwargs))

    @admin.action(description="Publier les contenus sélectionnés", permissions=["change"])
    def publier(self, request, queryset):
        self._transition(request, queryset, "publier")

    @admin.action(description="Archiver les contenus sélectionnés", permissions=["change"])
    def archiver(self, request, queryset):
        self._transition(request, queryset, "archiver")

    @admin.action(
        description="Repasser en brouillon les contenus sélectionnés", permissions=["change"]
    )
    def repasser_en_brouillon(self, request, queryset):
        self._transition(request, queryset, "repasser_en_brouillon")

    def _transition(self, request, queryset, action):
        methode, singulier, pluriel = ACTIONS[action]
        objets, refus = list(queryset), []
        if not objets:  # selected objects outside the user's list
            self.message_user(request, AUCUN, messages.WARNING)
            return
        for obj in objets:
            try:
                getattr(obj, methode)()
            except ValidationError as erreur:
                refus.append(f"« {obj} » : {' '.join(erreur.messages)}")
        if refus:
            self.message_user(request, REFUS.format(details=" ; ".join(refus)), messages.ERROR)
            return
        with transaction.atomic():
            for obj in objets:
                self.save_model(request, obj, None, True)
                self.log_change(request, obj, [{"changed": {"fields": [CHAMP]}}])
        nombre = len(objets)
        self.message_user(
            request, f"{nombre} {singulier if nombre == 1 else pluriel}.", messages.SUCCESS
        )


def formulaire_publication(form_class):
    """Wrap a ModelForm: a changed status goes through the instance's guarded transition."""
    if CHAMP not in form_class.base_fields or getattr(form_class, "publication_gardee", False):
        return form_class

    class PublicationForm(form_class):
        publication_gardee = True

        def clean_statut_publication(self):
            parent = getattr(super(), "clean_statut_publication", None)
            statut = parent() if parent else self.cleaned_data[CHAMP]
            self.instance.passer_a(statut)  # ValidationError: a French error on the field
            return statut

    PublicationForm.__name__ = form_class.__name__
    PublicationForm.__qualname__ = form_class.__qualname__
    return PublicationForm
