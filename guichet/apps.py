from importlib import import_module
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.module_loading import module_has_submodule

# The one way an app registers with the core: a module of the app named after the registry,
# which registers at import through the core's function; the core imports these modules of
# every app of the portal once, when Django is ready. No registration in an AppConfig.ready.
REGISTRES = {
    "perimetres": "territorial scope of each model (guichet.scoping.declarer)",
    "audit": "what the audit trail traces (guichet.audit.tracer, non_trace)",
    "rgpd": "personal data for the right of access and erasure (guichet.rgpd.enregistrer)",
    "sitemaps": "sections and pages of sitemap.xml (guichet.sitemaps.section, pages)",
    "commune": "sections of the commune page (guichet.fiche_commune.section)",
    "recherche": "site search sources (guichet.recherche.source)",
    "publics": "audience pages' content, a département's ARS contacts (guichet.publics)",
    "usages": "usage signals' receivers (guichet.signals), their counts (guichet.cumuls)",
    "suites": "links from a profession in a place to other apps' pages (guichet.suites.suite)",
}


def applications_du_portail():
    """The portal's own apps (the packages at the root of its source tree)."""
    racine = Path(settings.BASE_DIR).resolve()
    return [c for c in apps.get_app_configs() if Path(c.path).resolve().parent == racine]


def enregistrer_les_applications():
    for config in applications_du_portail():
        for registre in REGISTRES:
            if module_has_submodule(config.module, registre):
                import_module(f"{config.name}.{registre}")


class GuichetConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet"
    verbose_name = "Socle du guichet"

    def ready(self):
        from guichet import audit_modeles  # noqa: F401 - the core's own models in the trail
        from guichet.forms import partager_rendu_dsfr
        from guichet.pages_par_defaut import creer_pages_manquantes
        from guichet.roles import synchroniser_permissions

        post_migrate.connect(synchroniser_permissions, dispatch_uid="guichet_roles")
        post_migrate.connect(creer_pages_manquantes, sender=self, dispatch_uid="guichet_pages")
        enregistrer_les_applications()
        partager_rendu_dsfr()
        post_migrate.connect(nommer_le_site, sender=self, dispatch_uid="guichet_site")
        self._fermer_les_sessions_au_changement_de_mot_de_passe()

    @staticmethod
    def _fermer_les_sessions_au_changement_de_mot_de_passe():
        from allauth.account import signals

        from guichet.securite import fermer_les_autres_sessions

        for signal in (signals.password_changed, signals.password_set, signals.password_reset):
            signal.connect(fermer_les_autres_sessions)


def nommer_le_site(**kwargs):
    """Keep the Site's domain and name in line with SITE_URL and PORTAIL_NOM (a changed
    setting applies at the next migrate)."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.sites.models import Site

    domaine = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domaine[:100], "name": settings.PORTAIL_NOM[:50]}
    )
    Site.objects.clear_cache()
