"""The admin mixin that every admin uses: scope read from the model's declaration.

See guichet.scoping (declarations in each app's perimetres.py).
"""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied

from guichet import scoping

MESSAGE_HORS_PERIMETRE = (
    "Ce contenu est hors de votre périmètre : choisissez une région ou un département "
    "que vous gérez."
)
MESSAGE_HORS_PERIMETRE_ACTION = (
    "Action refusée : la sélection contient des contenus hors de votre périmètre (contenus "
    "nationaux ou d'un autre territoire). Rien n'a été modifié."
)


class PerimetreAdminMixin:
    """Every admin's territorial scope, read from the model's declaration (guichet.scoping).

    Querysets (lists, history, autocompletes, the "view on site" redirect), object access,
    every foreign-key and many-to-many choice whose target is scoped (restricted, hence refused
    on POST), inlines (wrapped with the same rules), actions and saves all follow the
    declaration; nothing is configured on the admin class itself.
    """

    # -- reading
    @classmethod
    def queryset_perimetre(cls, qs, user, **_ignored):
        """The same restriction, for staff views outside the admin."""
        return scoping.lecture(qs, user)

    def get_queryset(self, request):
        return scoping.lecture(super().get_queryset(request), request.user)

    def dans_perimetre(self, request, obj) -> bool:
        return (
            obj is None or obj.pk is None or scoping.contient(scoping.ecriture, obj, request.user)
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request) and scoping.peut_lire(
                self.model, request.user
            )
        return super().has_view_permission(request, obj) and scoping.contient(
            scoping.lecture, obj, request.user
        )

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and scoping.peut_creer(
            self.model, request.user
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._modifiable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._modifiable(request, obj)

    def _modifiable(self, request, obj):
        if obj is None:
            return scoping.peut_modifier(self.model, request.user)
        return self.dans_perimetre(request, obj)

    # -- choices: restricted, so a value outside the scope is refused on POST
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limiter_choix(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limiter_choix(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        """A filter on a relation lists only the related objects present in the scoped list."""
        from django.contrib.admin import RelatedOnlyFieldListFilter

        filtres = []
        for filtre in super().get_list_filter(request):
            if isinstance(filtre, str) and "__" not in filtre:
                try:
                    champ = self.model._meta.get_field(filtre)
                except FieldDoesNotExist:
                    champ = None
                cible = getattr(champ, "related_model", None)
                if cible is not None and scoping.perimetre_de(cible) is not None:
                    filtre = (filtre, RelatedOnlyFieldListFilter)
            filtres.append(filtre)
        return filtres

    # -- writing: the final values (after the model's clean()) must stay inside the scope
    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return formulaire_perimetre(form_class, request)

    def get_inline_instances(self, request, obj=None):
        return [inline_perimetre(inline) for inline in super().get_inline_instances(request, obj)]

    def save_model(self, request, obj, form, change):
        if not scoping.ecriture_autorisee(
            request.user,
            obj,
            getattr(form, "cleaned_data", {}),
            conserves=getattr(form, "valeurs_conservees", None),
        ):
            raise PermissionDenied(MESSAGE_HORS_PERIMETRE)
        super().save_model(request, obj, form, change)

    # -- actions: run only on objects the user may change
    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            nom: (_action_perimetre(fonction), nom, description)
            for nom, (fonction, nom, description) in actions.items()
        }

    def delete_queryset(self, request, queryset):
        if queryset.exclude(pk__in=scoping.ecriture(queryset, request.user)).exists():
            raise PermissionDenied(MESSAGE_HORS_PERIMETRE)
        super().delete_queryset(request, queryset)


class PerimetreInlineMixin:
    """The same rules for an inline (applied by PerimetreAdminMixin to every inline)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limiter_choix(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limiter_choix(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return scoping.lecture(super().get_queryset(request), request.user)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = formulaire_perimetre(formset.form, request)
        return formset

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and scoping.peut_creer(
            self.model, request.user
        )


def inline_perimetre(inline):
    """Give an inline instance the scoping rules (an inline may not bypass them)."""
    if not isinstance(inline, PerimetreInlineMixin):
        inline.__class__ = type(
            inline.__class__.__name__, (PerimetreInlineMixin, inline.__class__), {}
        )
    return inline


def limiter_choix(db_field, request, kwargs):
    """Choices of a relation to a scoped model: what the user may see of that model."""
    cible = db_field.related_model
    if cible is None or scoping.perimetre_de(cible) is None:
        return
    base = kwargs.get("queryset")
    if base is None:
        base = cible._default_manager.all()
    kwargs["queryset"] = scoping.lecture(base, request.user)


def formulaire_perimetre(form_class, request):
    """Wrap a ModelForm: keep hidden M2M values, check the final values of the instance."""
    if getattr(form_class, "perimetre_verifie", False):
        return form_class
    user = request.user

    class PerimetreForm(form_class):
        perimetre_verifie = True
        valeurs_conservees: dict = {}

        def clean(self):
            cleaned = super().clean()
            self.valeurs_conservees = conserver_valeurs_cachees(self)
            return cleaned

        def _post_clean(self):
            super()._post_clean()  # constructs the instance and runs the model's clean()
            if self.errors or (self.instance.pk is not None and not self.has_changed()):
                return
            if not scoping.ecriture_autorisee(
                user, self.instance, self.cleaned_data, conserves=self.valeurs_conservees
            ):
                self.add_error(None, MESSAGE_HORS_PERIMETRE)

    PerimetreForm.__name__ = form_class.__name__
    PerimetreForm.__qualname__ = form_class.__qualname__
    return PerimetreForm


def conserver_valeurs_cachees(form) -> dict:
    """Many-to-many values the editor cannot see stay on the object (a shared aid's regions)."""
    conserves = {}
    instance = form.instance
    if instance.pk is None:
        return conserves
    for nom, champ in form.fields.items():
        queryset = getattr(champ, "queryset", None)
        if queryset is None or nom not in form.cleaned_data:
            continue
        try:
            champ_modele = type(instance)._meta.get_field(nom)
        except FieldDoesNotExist:
            continue
        if not champ_modele.many_to_many or scoping.perimetre_de(queryset.model) is None:
            continue
        caches = set(
            getattr(instance, nom)
            .exclude(pk__in=queryset.values("pk"))
            .values_list("pk", flat=True)
        )
        if caches:
            choisis = {v.pk for v in form.cleaned_data[nom] or []}
            form.cleaned_data[nom] = queryset.model._default_manager.filter(pk__in=choisis | caches)
            conserves[nom] = caches
    return conserves


def _action_perimetre(fonction):
    def action(modeladmin, request, queryset):
        if queryset.exclude(pk__in=scoping.ecriture(queryset, request.user)).exists():
            messages.error(request, MESSAGE_HORS_PERIMETRE_ACTION)
            return None
        return fonction(modeladmin, request, queryset)

    action.__name__ = getattr(fonction, "__name__", "action")
    for attribut in ("short_description", "allowed_permissions"):
        if hasattr(fonction, attribut):
            setattr(action, attribut, getattr(fonction, attribut))
    return action


class CasesACocherAdminMixin:
    """Array fields of choices (professions, publics, zoning levels…) edited as check boxes."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django import forms
        from django.contrib.postgres.fields import ArrayField

        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, ArrayField) and db_field.base_field.choices:
            field = forms.TypedMultipleChoiceField(
                choices=db_field.base_field.choices,
                coerce=db_field.base_field.to_python,
                required=not db_field.blank,
                widget=forms.CheckboxSelectMultiple,
                label=field.label,
                help_text=field.help_text,
            )
        return field


def perimetre_partout(site) -> None:
    """Give every registered admin (third-party ones included) the scoping rules.

    A model registered without a declaration in some ``perimetres.py`` then fails loudly on its
    first request, and the isolation test's consistency check fails.
    """
    for modele_admin in site._registry.values():
        if not isinstance(modele_admin, PerimetreAdminMixin):
            classe = modele_admin.__class__
            modele_admin.__class__ = type(classe.__name__, (PerimetreAdminMixin, classe), {})


def voir_sur_le_site(request, content_type_id, object_id, site=None):
    """The admin's "view on site" redirect, only for an object the user may see."""
    from django.contrib.admin import site as site_par_defaut
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.views import shortcut
    from django.core.exceptions import ValidationError
    from django.http import Http404

    site = site or site_par_defaut
    try:
        modele = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    modele_admin = site._registry.get(modele)
    if modele_admin is None:
        raise Http404
    try:
        obj = modele_admin.get_queryset(request).filter(pk=object_id).first()
    except (ValidationError, ValueError, TypeError):
        obj = None
    if obj is None or not modele_admin.has_view_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
