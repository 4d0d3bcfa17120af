"""The development server of `make run`: its own `runserver` command, listed before whitenoise's
in INSTALLED_APPS so that it replaces it (Django takes the first app's command)."""
