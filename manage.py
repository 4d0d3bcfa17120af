#!/usr/bin/env python
import os
import sys

# Commands that change nothing themselves or serve requests (each request has its own author).
SANS_ACTEUR = {"runserver", "help", "check", "test", "makemigrations", "collectstatic"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    from django.core.management import execute_from_command_line

    commande = sys.argv[1] if len(sys.argv) > 1 else ""
    if not commande or commande.startswith("-") or commande in SANS_ACTEUR:
        execute_from_command_line(sys.argv)
        return
    import django

    django.setup()
    from guichet.audit import acteur_commande

    # Every change a command makes is signed "système (<command>)" in the audit trail.
    with acteur_commande(commande):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
