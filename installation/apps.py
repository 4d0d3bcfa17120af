from django.apps import AppConfig


class InstallationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "installation"
    verbose_name = "S'installer"
