from django.apps import AppConfig


class DemographieConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "demographie"
    verbose_name = "Démographie"
