from django.apps import AppConfig


class AidesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aides"
    verbose_name = "Aides"
