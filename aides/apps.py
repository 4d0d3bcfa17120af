from django.apps import AppConfig


class AidesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aides"
    verbose_name = "Aides"

    def ready(self):
        from aides.audit import enregistrer

        enregistrer()
        from aides import commune, recherche  # noqa: F401 - register the sections and sources
