"""The bare baseline of `make bench` (issue 29): a Django view with no middleware and no database,
dispatched by benchmarks.wsgi in front of the portal on the same gunicorn."""

import io

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from benchmarks import views, wsgi


@pytest.fixture
def sans_fermeture_des_connexions():
    """As Django's test client does: the request signals must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _appeler(application, chemin):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": chemin,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    reponse = {}

    def start_response(statut, entetes, exc_info=None):
        reponse["statut"], reponse["entetes"] = statut, dict(entetes)

    corps = b"".join(application(environ, start_response))
    return reponse["statut"], reponse["entetes"], corps


def test_la_vue_nue_ne_passe_par_aucun_middleware_ni_la_base(sans_fermeture_des_connexions):
    portail_appele = []

    def portail(environ, start_response):
        portail_appele.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b""]

    application = wsgi.application_pour(portail, wsgi.HandlerNu())
    # No django_db mark: a query would raise inside the view and answer 500.
    statut, entetes, corps = _appeler(application, wsgi.CHEMIN_NU)
    assert statut == "200 OK"
    assert corps == views._PAGE and len(corps) > 20_000
    # The portal's middleware would add these (security, clickjacking, CSP, session, locale).
    for entete in (
        "X-Frame-Options",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Set-Cookie",
        "Vary",
        "Content-Language",
    ):
        assert entete not in entetes
    assert portail_appele == []
    # Anything else goes to the portal.
    _appeler(application, "/_bench/reference/")
    _appeler(application, "/")
    assert portail_appele == ["/_bench/reference/", "/"]


def test_sans_mode_banc_le_point_d_entree_est_le_portail_seul():
    from guichet.wsgi import application as portail

    assert wsgi.application is portail
