from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GuichetConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet"
    verbose_name = "Socle du guichet"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from guichet.audit_modeles import enregistrer
        from guichet.forms import partager_rendu_dsfr
        from guichet.pages_par_defaut import creer_pages_manquantes
        from guichet.roles import synchroniser_permissions

        enregistrer()
        post_migrate.connect(synchroniser_permissions, dispatch_uid="guichet_roles")
        post_migrate.connect(creer_pages_manquantes, sender=self, dispatch_uid="guichet_pages")
        # Every app declares its models' territorial scope in perimetres.py (guichet.scoping).
        autodiscover_modules("perimetres")
        autodiscover_modules("sitemaps")  # each app's sections of sitemap.xml
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
