from django.apps import AppConfig


class OpportunitesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opportunites"
    verbose_name = "Opportunités"

    def ready(self):
        from opportunites import audit, rgpd

        audit.enregistrer()
        rgpd.enregistrer_sources()
        from opportunites import commune  # noqa: F401 - registers the commune page's section
