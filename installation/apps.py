from django.apps import AppConfig


class InstallationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "installation"
    verbose_name = "S'installer"

    def ready(self):
        from installation.audit import enregistrer

        enregistrer()
        from installation import commune, recherche  # noqa: F401 - sections and sources
