"""The periodic work of the portal, run by `python manage.py planificateur` (one scheduler
service in compose.yaml). Each job is a management command guarded by guichet.taches, so a
second scheduler, a cron or a hand-run command never runs it twice at once.

Times are in settings.TIME_ZONE (Europe/Paris).
"""

# (command, arguments, cron fields)
TACHES = [
    ("envoyer_rappels", [], {"minute": "*/15"}),
    ("purger_donnees", [], {"hour": "3", "minute": "10"}),
    ("purger_imports", [], {"hour": "3", "minute": "20"}),
    ("expirer_opportunites", [], {"hour": "3", "minute": "30"}),
    ("envoyer_alertes", [], {"minute": "5"}),
    ("actualiser_bulletins", [], {"minute": "40"}),
]
