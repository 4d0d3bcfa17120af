"""Staff roles: the groups (created by a data migration) and their permissions.

Permissions only exist after every app has migrated, so they are (re)assigned on each
``post_migrate``; later apps add their models to ``PERMISSIONS_DES_ROLES`` below.
"""

ADMINISTRATEUR_NATIONAL = "Administrateur national"
AGENT_ARS = "Agent ARS"
REFERENT_INSTALLATION = "Référent installation"
# Editing parcours, documents and events is its own permission (created by rendezvous.0003).
REDACTEUR_INSTALLATION = "Rédacteur installation"
ROLES = [ADMINISTRATEUR_NATIONAL, AGENT_ARS, REFERENT_INSTALLATION, REDACTEUR_INSTALLATION]

TOUT = ("view", "add", "change", "delete")
LECTURE = ("view",)

# role -> {"app_label" or "app_label.model": actions}
PERMISSIONS_DES_ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    ADMINISTRATEUR_NATIONAL: {
        "guichet": TOUT,
        "aides": TOUT,
        "installation": TOUT,
        "rendezvous": TOUT,
        "demographie": TOUT,
        "espace": TOUT,
        "opportunites": TOUT,
        "dsfr.dsfrconfig": ("view", "change"),
        "auth.group": LECTURE,
        "account.emailaddress": LECTURE,
        "auditlog.logentry": LECTURE,
    },
    AGENT_ARS: {
        "guichet.region": LECTURE,
        "guichet.departement": LECTURE,
        "guichet.commune": LECTURE,
        "guichet.user": ("view", "add", "change"),
        "aides": TOUT,
        "installation": TOUT,
        "rendezvous": TOUT,
        "demographie": TOUT,
        "espace": TOUT,
        "opportunites": TOUT,
    },
    REFERENT_INSTALLATION: {
        "guichet.region": LECTURE,
        "guichet.departement": LECTURE,
        "guichet.commune": LECTURE,
        "aides": LECTURE,
        # Meetings, availability and absences of their territory (the admin scopes them).
        "rendezvous.rendezvous": ("view", "change"),
        "rendezvous.plageouverture": TOUT,
        "rendezvous.absence": TOUT,
        "rendezvous.lieu": TOUT,
        "rendezvous.referent": ("view", "change"),
        "rendezvous.motifrendezvous": LECTURE,
        "rendezvous.notification": LECTURE,
        # Parcours, documents and events: read only (REDACTEUR_INSTALLATION edits them).
        "installation": LECTURE,
        "installation.contact": TOUT,
        "installation.actualite": TOUT,
        "espace": TOUT,
        "opportunites": LECTURE,
    },
    REDACTEUR_INSTALLATION: {
        "installation.parcours": TOUT,
        "installation.etape": TOUT,
        "installation.document": TOUT,
        "installation.evenement": TOUT,
    },
}


def synchroniser_permissions(app_config=None, **kwargs):
    """Give each role group exactly the permissions declared above (post_migrate handler).

    Django sends post_migrate once per app (after a migrate, and after each flush of a
    transactional test), each app creating its own permissions on its signal: the groups are
    set once, on the last app's, when every permission exists (on each of the 19 signals, a
    flush took 2.7 s instead of 0.6 s)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    avec_modeles = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is not avec_modeles[-1]:
        return

    for nom, regles in PERMISSIONS_DES_ROLES.items():
        group, _ = Group.objects.get_or_create(name=nom)
        perms = []
        for cible, actions in regles.items():
            app_label, _, model = cible.partition(".")
            qs = Permission.objects.filter(content_type__app_label=app_label)
            if model:
                qs = qs.filter(content_type__model=model)
            for perm in qs.select_related("content_type"):
                action = perm.codename.split("_", 1)[0]
                if action in actions:
                    perms.append(perm)
        # JeuDeDonnees is technical bookkeeping: nobody edits it by hand.
        perms = [p for p in perms if p.content_type.model != "jeudedonnees" or "view" in p.codename]
        group.permissions.set(perms)
