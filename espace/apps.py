from django.apps import AppConfig


class EspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "espace"
    verbose_name = "Espace ARS"

    def ready(self):
        from espace import rgpd

        rgpd.enregistrer_sources()
