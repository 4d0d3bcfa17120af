from django.apps import AppConfig


class OpportunitesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opportunites"
    verbose_name = "Opportunités"
