"""Back office of the meetings: referents, places, motifs, opening hours, absences, bookings.

Every page shows and takes times in the territory's zone (the meeting's or the referent's
region), and says which. Non-superusers never see technical fields.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from guichet import scoping
from guichet.admin_scoping import CasesACocherAdminMixin, PerimetreAdminMixin
from guichet.fuseaux import fuseau, horaire, nom_fuseau
from rendezvous.models import (
    Absence,
    Lieu,
    MotifRendezVous,
    Notification,
    PlageOuverture,
    Referent,
    RendezVous,
)
from rendezvous.perimetre import referents_visibles

CHAMPS_TECHNIQUES = {
    "uuid",
    "sequence",
    "fin_bloquee",
    "rappel_envoye_le",
    "jeton_empreinte",
    "anonymise_le",
    "jeton_agenda",
}


def fuseau_de_l_utilisateur(user):
    """The zone of the staff user's territory: their referent's, else their single region's."""
    referent = Referent.objects.filter(utilisateur=user).first()
    if referent is not None and referent.departements.exists():
        return referent.fuseau
    if not scoping.est_national(user):
        zones = set(scoping.regions_du_perimetre(user).values_list("fuseau_horaire", flat=True))
        if len(zones) == 1:
            return fuseau(zones.pop())
    return fuseau(None)


class AideFuseauMixin:
    """Date and time fields say in which zone they are typed (admins and inlines)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        zone = getattr(request, "fuseau_rendezvous", None)
        if (
            field is not None
            and zone
            and isinstance(db_field, models.DateTimeField | models.TimeField)
        ):
            aide = f"En {nom_fuseau(zone)}."
            field.help_text = f"{field.help_text} {aide}".strip() if field.help_text else aide
        return field


class FuseauAdminMixin(AideFuseauMixin):
    """Render every admin page of the model with the territory's zone active."""

    def fuseau_objet(self, obj):
        return obj.fuseau

    def fuseau_page(self, request, object_id=None):
        if object_id:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                return self.fuseau_objet(obj)
        return fuseau_de_l_utilisateur(request.user)

    def _dans_le_fuseau(self, request, object_id, vue, *args, **kwargs):
        zone = self.fuseau_page(request, object_id)
        request.fuseau_rendezvous = zone
        with timezone.override(zone):
            response = vue(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._dans_le_fuseau(
            request, object_id, super().changeform_view, object_id, form_url, extra_context
        )

    def changelist_view(self, request, extra_context=None):
        return self._dans_le_fuseau(request, None, super().changelist_view, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._dans_le_fuseau(
            request, object_id, super().delete_view, object_id, extra_context
        )

    def history_view(self, request, object_id, extra_context=None):
        return self._dans_le_fuseau(
            request, object_id, super().history_view, object_id, extra_context
        )

    def get_exclude(self, request, obj=None):
        exclues = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            exclues += [c for c in CHAMPS_TECHNIQUES if c not in exclues]
        return exclues

    def get_readonly_fields(self, request, obj=None):
        champs = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return champs
        return [c for c in champs if c not in CHAMPS_TECHNIQUES]

    def get_fields(self, request, obj=None):
        champs = super().get_fields(request, obj)
        if request.user.is_superuser:
            return champs
        return [c for c in champs if c not in CHAMPS_TECHNIQUES]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Referents and places of the user's territory only, before submitting.
        if not scoping.est_national(request.user):
            if db_field.related_model is Referent:
                kwargs["queryset"] = referents_visibles(request.user)
            elif db_field.related_model is Lieu:
                kwargs["queryset"] = Lieu.objects.filter(
                    departement__in=scoping.departements_du_perimetre(request.user)
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    class Media:
        js = ["rendezvous/admin_fuseau.js"]


class AbsenceForm(forms.ModelForm):
    """Wall-clock times typed in the referent's zone, whatever zone the page was shown in."""

    class Meta:
        model = Absence
        fields = ["referent", "debut", "fin", "motif"]

    def clean(self):
        cleaned = super().clean()
        referent = cleaned.get("referent") or getattr(self.instance, "referent", None)
        if referent is None or not referent.pk:
            return cleaned
        zone_page, zone = timezone.get_current_timezone(), referent.fuseau
        for nom in ("debut", "fin"):
            valeur = cleaned.get(nom)
            if valeur is not None and zone_page.key != zone.key and nom in self.changed_data:
                cleaned[nom] = timezone.make_aware(timezone.make_naive(valeur, zone_page), zone)
        return cleaned


class PlageInline(AideFuseauMixin, CasesACocherAdminMixin, admin.TabularInline):
    model = PlageOuverture
    extra = 0
    filter_horizontal = ["motifs"]


class AbsenceInline(AideFuseauMixin, admin.TabularInline):
    model = Absence
    form = AbsenceForm
    extra = 0


@admin.register(Referent)
class ReferentAdmin(FuseauAdminMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "liste_departements", "actif"]
    filter_horizontal = ["departements"]
    autocomplete_fields = ["utilisateur"]  # users found by search, not a list of every e-mail
    inlines = [PlageInline, AbsenceInline]

    def fuseau_objet(self, obj):
        return obj.fuseau

    @admin.display(description="départements")
    def liste_departements(self, obj):
        return ", ".join(d.code for d in obj.departements.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departements")


@admin.register(Lieu)
class LieuAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "type", "departement"]
    list_filter = ["type"]


@admin.register(MotifRendezVous)
class MotifRendezVousAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = [
        "nom",
        "duree_minutes",
        "tampon_minutes",
        "delai_minimum_heures",
        "fenetre_jours",
        "max_par_jour",
        "actif",
    ]
    prepopulated_fields = {"slug": ["nom"]}


@admin.register(PlageOuverture)
class PlageOuvertureAdmin(
    FuseauAdminMixin, CasesACocherAdminMixin, PerimetreAdminMixin, admin.ModelAdmin
):
    list_display = ["__str__", "referent", "lieu", "date_debut", "date_fin", "fuseau"]
    filter_horizontal = ["motifs"]

    def fuseau_objet(self, obj):
        return obj.referent.fuseau

    @admin.display(description="heures en")
    def fuseau(self, obj):
        return obj.referent.nom_fuseau


@admin.register(Absence)
class AbsenceAdmin(PlageOuvertureAdmin):
    form = AbsenceForm
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
class RendezVousAdmin(FuseauAdminMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["horaire_local", "motif", "nom", "referent", "statut"]
    list_filter = ["statut", "motif"]
    search_fields = ["nom", "courriel"]
    date_hierarchy = "debut"
    inlines = [NotificationInline]
    # The status changes through the guarded transitions of the agenda, never by hand here.
    readonly_fields = [
        "uuid",
        "referent",
        "motif",
        "lieu",
        "horaire_local",
        "debut",
        "fin",
        "fin_bloquee",
        "statut",
        "motif_annulation",
        "cree_le",
        "sequence",
        "rappel_envoye_le",
        "annule_le",
        "agenda",
    ]
    exclude = ["jeton_empreinte", "anonymise_le"]
    list_select_related = ["motif", "referent__utilisateur", "lieu__departement__region"]

    @admin.display(description="horaire", ordering="debut")
    def horaire_local(self, obj):
        return f"{horaire(obj.debut, obj.fuseau, 'd/m/Y H:i')} ({obj.nom_fuseau})"

    @admin.display(description="déplacer, annuler ou renseigner")
    def agenda(self, obj):
        from django.urls import reverse

        return format_html(
            '<a href="{}?referent={}">Depuis l\'agenda du référent</a>',
            reverse("rendezvous:agenda"),
            obj.referent_id,
        )

    def has_add_permission(self, request):
        return False  # bookings go through the booking service, which checks the slot
