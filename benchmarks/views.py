from django.http import HttpResponse

# 20 kB of HTML, the size of a typical page of the portal, built once per process.
_PAGE = (
    "<!doctype html><html lang=fr><title>Référence</title><body>"
    + "<p>Page de référence du banc d'essai.</p>" * 500
)[:20_000].encode()


def reference(request):
    """The baselines: no query, no template. Served at /_bench/reference/ through the portal's
    middleware, and at /_bench/nue/ by the bare handler of benchmarks.wsgi (no middleware)."""
    return HttpResponse(_PAGE, content_type="text/html; charset=utf-8")
