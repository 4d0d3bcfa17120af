from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from demographie import importation, services
from demographie.forms import ImportForm
from demographie.models import Bulletin, Effectif, IndicateurDispositif, Population, Source
from guichet import imports_en_attente, scoping
from guichet.admin_lecture_seule import LectureSeuleMixin
from guichet.admin_scoping import PerimetreAdminMixin


def perimetre_import(user) -> importation.Perimetre:
    if scoping.est_national(user):
        return importation.Perimetre()
    return importation.Perimetre(
        regions=set(user.regions.values_list("pk", flat=True)),
        departements=set(scoping.departements_du_perimetre(user).values_list("pk", flat=True)),
    )


@admin.register(Source)
class SourceAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["libelle", "fichier", "fictive", "importe_le", "importe_par"]
    list_filter = ["fictive"]
    search_fields = ["libelle", "fichier"]


@admin.register(Effectif)
class EffectifAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    suppression_permise = True
    list_display = [
        "annee",
        "niveau",
        "code_territoire",
        "profession",
        "tranche_age",
        "sexe",
        "mode_exercice",
        "effectif",
        "source",
    ]
    list_filter = ["annee", "niveau", "profession", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code_territoire"]
    list_select_related = ["source"]
    show_full_result_count = False
    change_list_template = "demographie/admin/effectif_change_list.html"

    def get_urls(self):
        return [
            path("importer/", self.admin_site.admin_view(self.importer), name="demographie_import"),
            *super().get_urls(),
        ]

    def importer(self, request):
        """Upload → validation and preview → confirmation (nothing is written before)."""
        if not request.user.has_perm("demographie.add_effectif"):
            raise PermissionDenied
        perimetre = perimetre_import(request.user)
        contexte = {
            **self.admin_site.each_context(request),
            "title": "Importer des effectifs",
            "opts": self.model._meta,
        }
        if request.method == "POST" and request.POST.get("confirmer"):
            attente = imports_en_attente.reprendre(
                nature="demographie", jeton=request.POST["confirmer"], auteur=request.user
            )
            if attente is None:
                messages.error(request, "Cet aperçu a expiré : téléversez à nouveau le fichier.")
                return redirect("admin:demographie_import")
            try:
                with imports_en_attente.ouvrir(attente) as fichier:
                    resultat = importation.importer_canonique(
                        fichier,
                        libelle_source=attente.donnees["source"],
                        nom_fichier=attente.nom_original,
                        par=request.user,
                        perimetre=perimetre,
                    )
            except importation.ErreurImport as erreur:
                messages.error(request, f"Fichier refusé, rien n'a été modifié : {erreur}")
                return redirect("admin:demographie_import")
            finally:
                imports_en_attente.abandonner(attente)
            messages.success(
                request,
                f"{resultat['lignes']} lignes importées ({resultat['masquees']} cellules "
                f"masquées), {resultat['remplacees']} lignes anciennes remplacées.",
            )
            return redirect("admin:demographie_effectif_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            televerse = form.cleaned_data["fichier"]
            analyse = importation.analyser(televerse.open("rb"), perimetre=perimetre)
            jeton = ""
            if not analyse.nb_erreurs:
                televerse.seek(0)
                jeton = imports_en_attente.deposer(
                    nature="demographie",
                    fichier=televerse,
                    auteur=request.user,
                    nom=televerse.name,
                    donnees={"source": form.cleaned_data["source"]},
                )
            contexte.update(analyse=analyse, jeton=jeton, entete=importation.ENTETE)
        contexte["form"] = form
        return TemplateResponse(request, "demographie/admin/import.html", contexte)


@admin.register(Population)
class PopulationAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    suppression_permise = True
    list_display = ["annee", "niveau", "code_territoire", "population", "source"]
    list_filter = ["annee", "niveau"]
    search_fields = ["code_territoire"]
    show_full_result_count = False


@admin.register(IndicateurDispositif)
class IndicateurDispositifAdmin(LectureSeuleMixin, PerimetreAdminMixin, admin.ModelAdmin):
    suppression_permise = True
    list_display = ["indicateur", "annee", "region", "valeur", "nature", "source"]
    list_filter = ["indicateur", "annee", "nature"]
    list_select_related = ["region"]


@admin.register(Bulletin)
class BulletinAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["annee", "niveau", "code_territoire", "statut", "publie_le"]
    list_filter = ["annee", "niveau", "statut"]
    list_select_related = ["region", "departement"]
    fields = [
        "annee",
        "niveau",
        "region",
        "departement",
        "faits_marquants",
        "statut",
        "fichier",
        "publie_le",
        "publie_par",
        "edition",
        "edition_generee_le",
    ]
    readonly_fields = [
        "statut",
        "fichier",
        "publie_le",
        "publie_par",
        "edition",
        "edition_generee_le",
    ]
    actions = ["publier", "actualiser_edition"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.est_publie:  # a published edition never changes
            return [*self.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.est_publie:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Publier les bulletins sélectionnés (PDF figé)")
    def publier(self, request, queryset):
        publies = 0
        for bulletin in queryset:
            if bulletin.est_publie:
                continue
            try:
                services.bulletin_publier(bulletin=bulletin, par=request.user)
            except services.PasDeDonnees:
                messages.warning(request, f"{bulletin} : pas de données pour cette année.")
                continue
            publies += 1
        messages.success(request, f"{publies} bulletin(s) publié(s).")
        return redirect(reverse("admin:demographie_bulletin_changelist"))

    @admin.action(description="Générer l'édition courante des bulletins sélectionnés")
    def actualiser_edition(self, request, queryset):
        generes = 0
        for bulletin in queryset:
            if bulletin.est_publie:
                continue
            try:
                generes += services.bulletin_actualiser_edition(bulletin=bulletin, force=True)
            except services.PasDeDonnees:
                messages.warning(request, f"{bulletin} : pas de données pour cette année.")
        messages.success(request, f"{generes} édition(s) générée(s).")
        return redirect(reverse("admin:demographie_bulletin_changelist"))
