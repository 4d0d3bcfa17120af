from django.apps import AppConfig


class EspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "espace"
    verbose_name = "Espace ARS"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from espace import rgpd
        from espace.sessions import session_courte_pour_les_agents

        rgpd.enregistrer_sources()
        user_logged_in.connect(session_courte_pour_les_agents, dispatch_uid="espace_session_agents")
