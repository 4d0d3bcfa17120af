from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GuichetConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet"
    verbose_name = "Socle du guichet"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from guichet.audit_modeles import enregistrer
        from guichet.forms import partager_rendu_dsfr
        from guichet.pages_par_defaut import creer_pages_manquantes
        from guichet.roles import synchroniser_permissions

        enregistrer()
        post_migrate.connect(synchroniser_permissions, dispatch_uid="guichet_roles")
        post_migrate.connect(creer_pages_manquantes, sender=self, dispatch_uid="guichet_pages")
        # Every app declares its models' territorial scope in perimetres.py (guichet.scoping).
        autodiscover_modules("perimetres")
        partager_rendu_dsfr()
