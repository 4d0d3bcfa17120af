"""The admin mixin that every territorial model's admin uses (see guichet.scoping)."""

from django.core.exceptions import ValidationError

from guichet import scoping

MESSAGE_HORS_PERIMETRE = (
    "Ce contenu est hors de votre périmètre : choisissez une région ou un département "
    "que vous gérez."
)


class PerimetreAdminMixin:
    """Restrict an admin to the staff user's territory.

    ``perimetre_region`` and ``perimetre_departement`` are lookup paths from the model to a
    ``Region`` and a ``Departement`` (either may be None). Querysets, object access, foreign-key
    and many-to-many choices (hence autocompletes and RelatedOnly list filters) and saves are all
    checked against the user's scope. National objects (no territory) are shown read-only to
    regional staff when ``perimetre_voir_national`` is set.
    """

    perimetre_region: str | None = "region"
    perimetre_departement: str | None = "departement"
    perimetre_commune: str | None = None
    perimetre_voir_national = False

    @classmethod
    def queryset_perimetre(cls, qs, user, *, avec_national=None):
        """The same restriction, for staff views outside the admin."""
        return scoping.filtrer_perimetre(
            qs,
            user,
            region_path=cls.perimetre_region,
            departement_path=cls.perimetre_departement,
            commune_path=cls.perimetre_commune,
            avec_national=cls.perimetre_voir_national if avec_national is None else avec_national,
        )

    # -- reading
    def get_queryset(self, request):
        return self.queryset_perimetre(super().get_queryset(request), request.user)

    def dans_perimetre(self, request, obj) -> bool:
        if obj is None or scoping.est_national(request.user):
            return True
        if obj.pk is None:
            return True
        return scoping.filtrer_perimetre(
            type(obj)._default_manager.filter(pk=obj.pk),
            request.user,
            region_path=self.perimetre_region,
            departement_path=self.perimetre_departement,
        ).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.dans_perimetre(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.dans_perimetre(request, obj)

    # -- choices
    def _limiter_choix(self, request, db_field, kwargs):
        from guichet.models import Commune, Departement, Region

        user = request.user
        if scoping.est_national(user):
            return
        model = db_field.related_model
        if model is Region:
            kwargs["queryset"] = scoping.regions_du_perimetre(user)
        elif model is Departement:
            kwargs["queryset"] = scoping.departements_du_perimetre(user)
        elif model is Commune:
            kwargs["queryset"] = Commune.objects.filter(
                departement__in=scoping.departements_du_perimetre(user)
            )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limiter_choix(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limiter_choix(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # -- writing: the form refuses an object that would leave the user's scope
    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        admin = self

        class PerimetreForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if not scoping.est_national(request.user) and not admin.territoire_autorise(
                    request, cleaned
                ):
                    raise ValidationError(MESSAGE_HORS_PERIMETRE)
                return cleaned

        PerimetreForm.__name__ = form_class.__name__
        return PerimetreForm

    def territoire_autorise(self, request, cleaned) -> bool:
        """Whether the territory chosen in the form is inside the user's scope.

        Reads the form's ``region``/``departement`` fields (foreign keys or many-to-many); a
        model whose territory is reached otherwise overrides this. Region-wide content needs
        the region itself in the user's scope, not only one of its départements.
        """
        user = request.user
        regions = _pks(cleaned.get(self.perimetre_region)) if self.perimetre_region else set()
        departements = (
            _pks(cleaned.get(self.perimetre_departement)) if self.perimetre_departement else set()
        )
        communes = _pks(cleaned.get(self.perimetre_commune)) if self.perimetre_commune else set()
        if not regions and not departements and not communes:
            return False  # national content: national staff only
        regions_gerees = set(user.regions.values_list("pk", flat=True))
        departements_geres = set(
            scoping.departements_du_perimetre(user).values_list("pk", flat=True)
        )
        from guichet.models import Commune

        departements_des_communes = set(
            Commune.objects.filter(pk__in=communes).values_list("departement_id", flat=True)
        )
        return (
            regions <= regions_gerees
            and departements <= departements_geres
            and departements_des_communes <= departements_geres
        )


def _pks(value) -> set:
    if value is None or value == "":
        return set()
    if hasattr(value, "values_list"):  # a many-to-many selection
        return set(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple | set):
        return {getattr(v, "pk", v) for v in value}
    return {getattr(value, "pk", value)}


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
