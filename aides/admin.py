import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from aides import services
from aides.models import Aide, Financement, Organisation, SimulationEnregistree, Zonage
from guichet import imports_en_attente, scoping
from guichet.admin_publication import PublicationAdminMixin
from guichet.admin_scoping import CasesACocherAdminMixin, PerimetreAdminMixin
from guichet.forms import FormulaireDsfr
from guichet.televersements import valider_csv_importe

TAILLE_MAX_CSV = 5 * 1024 * 1024


@admin.register(Organisation)
class OrganisationAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "code", "type", "region", "departement"]
    list_filter = ["type", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["nom", "code"]
    prepopulated_fields = {"code": ["nom"]}
    list_select_related = ["region", "departement"]


class FinancementInline(admin.TabularInline):
    model = Financement
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["role", "organisation", "ordre"]


class AReverifierFilter(admin.SimpleListFilter):
    title = "vérification"
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("a-reverifier", "À revérifier (plus de 12 mois)")]

    def queryset(self, request, queryset):
        if self.value() == "a-reverifier":
            limite = timezone.localdate() - datetime.timedelta(days=365)
            return queryset.publiees().filter(verifie_le__lt=limite)
        return queryset


class ClotureFilter(admin.SimpleListFilter):
    title = "validité"
    parameter_name = "validite"

    def lookups(self, request, model_admin):
        return [("ouvertes", "Dispositifs ouverts"), ("closes", "Dispositifs clos")]

    def queryset(self, request, queryset):
        if self.value() == "ouvertes":
            return queryset.ouvertes()
        if self.value() == "closes":
            return queryset.closes()
        return queryset


@admin.register(Aide)
class AideAdmin(
    PublicationAdminMixin, CasesACocherAdminMixin, PerimetreAdminMixin, admin.ModelAdmin
):
    """National schemes are edited by national staff; an ARS agent edits its territory's aids."""

    list_display = [
        "nom",
        "sigle",
        "type",
        "portee",
        "statut_publication",
        "valide_au",
        "validite",
        "verifie_le",
        "lien_apercu",
    ]
    list_filter = [
        "statut_publication",
        AReverifierFilter,
        ClotureFilter,
        "type",
        "portee",
        "exemple",
    ]
    search_fields = ["nom", "sigle", "slug", "resume"]
    prepopulated_fields = {"slug": ["nom"]}
    autocomplete_fields = ["communes"]
    filter_horizontal = ["regions", "departements", "liees"]
    inlines = [FinancementInline]
    readonly_fields = ["cree_le", "modifie_le"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "nom",
                    "sigle",
                    "slug",
                    "statut_publication",
                    "exemple",
                    "resume",
                    "description",
                    "type",
                ]
            },
        ),
        ("Pour qui", {"fields": ["professions", "situations"]}),
        ("Où", {"fields": ["portee", "regions", "departements", "communes", "zonage_requis"]}),
        (
            "Montant",
            {
                "fields": [
                    "montant",
                    "unite",
                    "duree_mois",
                    "plafond",
                    "versement",
                    "remarques_montant",
                ]
            },
        ),
        (
            "Conditions et engagement",
            {
                "fields": [
                    "engagement",
                    "engagement_annees",
                    "premiere_installation",
                    "modes_exercice",
                    "secteurs",
                    "delai_non_renouvellement_ans",
                    "licence_remplacement",
                    "cumul",
                ]
            },
        ),
        (
            "Validité et sources",
            {"fields": ["valide_du", "valide_au", "base_legale", "source_url", "verifie_le"]},
        ),
        ("Contact et liens", {"fields": ["contact", "liees"]}),
        ("Suivi", {"fields": ["cree_le", "modifie_le"]}),
    ]

    @admin.display(description="validité")
    def validite(self, obj):
        # An ended aid still published misleads visitors: flag it for the team.
        if obj.est_close:
            return format_html('<strong class="aide-close">{}</strong>', "Terminée")
        return "En cours"

    @admin.display(description="aperçu")
    def lien_apercu(self, obj):
        return format_html(
            '<a href="{}">Prévisualiser</a>', reverse("aides:apercu", args=[obj.slug])
        )

    def view_on_site(self, obj):
        return reverse("aides:apercu", args=[obj.slug])

    def clean_portee(self, form):
        cleaned = form.cleaned_data
        portee = cleaned.get("portee")
        attendus = {
            Aide.Portee.REGIONS: "regions",
            Aide.Portee.DEPARTEMENTS: "departements",
            Aide.Portee.COMMUNES: "communes",
        }
        if portee in attendus and not cleaned.get(attendus[portee]):
            form.add_error(attendus[portee], "Choisissez au moins un territoire pour cette portée.")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        admin_ = self

        class AideForm(form_class):
            def clean(self):
                cleaned = super().clean()
                admin_.clean_portee(self)
                return cleaned

        return AideForm


class ImportZonageForm(FormulaireDsfr):
    fichier = forms.FileField(
        label="Fichier CSV de l'arrêté",
        help_text="UTF-8, séparateur point-virgule, en-tête "
        "code_commune;profession;niveau;date_arrete;source. 5 Mo au plus.",
    )

    def clean_fichier(self):
        fichier = valider_csv_importe(self.cleaned_data["fichier"], taille_max=TAILLE_MAX_CSV)
        try:
            return fichier.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 »."
            ) from None


@admin.register(Zonage)
class ZonageAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["commune", "profession", "niveau", "date_arrete", "fictif"]
    list_filter = ["profession", "niveau", "fictif"]
    search_fields = ["commune__nom", "commune__code"]
    autocomplete_fields = ["commune"]
    list_select_related = ["commune"]
    change_list_template = "admin/aides/zonage/change_list.html"

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.importer_view),
                name="aides_zonage_importer",
            ),
            *super().get_urls(),
        ]

    def importer_view(self, request):
        """Upload → check and preview → confirm. Nothing is written before the confirmation."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        departements = (
            None
            if scoping.est_national(request.user)
            else set(scoping.departements_du_perimetre(request.user).values_list("pk", flat=True))
        )
        contexte = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Importer un arrêté de zonage",
        }
        if request.method == "POST" and "jeton" in request.POST:
            attente = imports_en_attente.reprendre(
                nature="zonage", jeton=request.POST["jeton"], auteur=request.user
            )
            if attente is None:
                messages.error(request, "Cet aperçu a expiré : déposez à nouveau le fichier.")
                return redirect("admin:aides_zonage_importer")
            try:
                texte = imports_en_attente.lire_texte(attente)
                resultat = services.zonage_importer(texte=texte, departements=departements)
            except services.ErreurImport as erreur:
                contexte.update(form=ImportZonageForm(), erreurs=erreur.erreurs)
                return render(request, "admin/aides/zonage/importer.html", contexte)
            finally:
                imports_en_attente.abandonner(attente)
            messages.success(
                request,
                "Zonage importé : {lignes} lignes, {remplaces} anciennes lignes remplacées.".format(
                    **resultat
                ),
            )
            return redirect("admin:aides_zonage_changelist")
        form = ImportZonageForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            texte = form.cleaned_data["fichier"]
            rapport = services.zonage_verifier(texte, departements=departements)
            contexte["rapport"] = rapport
            if rapport.valide:
                contexte["jeton"] = imports_en_attente.deposer(
                    nature="zonage",
                    fichier=texte,
                    auteur=request.user,
                    nom=request.FILES["fichier"].name,
                )
                contexte["apercu"] = rapport.lignes[:20]
        contexte["form"] = form
        return render(request, "admin/aides/zonage/importer.html", contexte)


@admin.register(SimulationEnregistree)
class SimulationEnregistreeAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    """Personal data of the public: superusers only (declared ``personnel()``)."""

    list_display = ["libelle", "utilisateur", "cree_le"]
