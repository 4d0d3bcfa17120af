from django.apps import AppConfig


class EspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "espace"
    verbose_name = "Espace ARS"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from espace import sessions

        user_logged_in.connect(sessions.au_login, dispatch_uid="espace_session_agents")
