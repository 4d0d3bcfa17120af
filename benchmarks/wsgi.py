"""The WSGI entry of `make bench`: the portal, with a bare Django view dispatched in front of it.

`/_bench/nue/` is answered by a second Django handler with no middleware at all and a URLconf of
its own (`benchmarks.urls_nues`): the request still goes through Django (WSGIRequest, URL
resolution, the view, HttpResponse, the request signals) but through none of the portal's
middleware and never touches the database. Every other path goes to `guichet.wsgi.application`.
Both answer the same 20 kB, so the bench reports each page against the bare view and against
`/_bench/reference/` (the same view behind the portal's middleware).

Served by gunicorn in `make bench` (benchmarks/run.py); without BENCH_MODE the bare view is not
dispatched and this module is the portal alone.
"""

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler

from guichet.wsgi import application as portail

CHEMIN_NU = "/_bench/nue/"
URLCONF_NUE = "benchmarks.urls_nues"


class HandlerNu(WSGIHandler):
    """Django's WSGI handler without any middleware, resolving in `benchmarks.urls_nues`."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        resolution = convert_exception_to_response(self._get_response)

        def chaine(request):
            request.urlconf = URLCONF_NUE
            return resolution(request)

        self._middleware_chain = chaine


def application_pour(portail_wsgi, nue_wsgi):
    """A WSGI callable sending `CHEMIN_NU` to `nue_wsgi` and every other path to the portal."""

    def application(environ, start_response):
        if environ.get("PATH_INFO") == CHEMIN_NU:
            return nue_wsgi(environ, start_response)
        return portail_wsgi(environ, start_response)

    return application


application = application_pour(portail, HandlerNu()) if settings.BENCH_MODE else portail
