from django.apps import AppConfig


class RendezVousConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rendezvous"
    verbose_name = "Rendez-vous"

    def ready(self):
        from rendezvous.audit import enregistrer

        enregistrer()
