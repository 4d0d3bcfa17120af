"""whitenoise's runserver (static files served by the middleware) with production's backlog.

Django's development server keeps 10 connections waiting to be accepted; 150 clients
connecting at once to `make run` had 67 of them reset (ConnectionResetError) before any
request. gunicorn, in production, keeps 2048: so does this server.
"""

from django.core.servers.basehttp import WSGIServer
from whitenoise.runserver_nostatic.management.commands.runserver import Command as Runserver


class ServeurDeDeveloppement(WSGIServer):
    request_queue_size = 2048


class Command(Runserver):
    server_cls = ServeurDeDeveloppement
