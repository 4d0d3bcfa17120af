"""gunicorn settings of the portal, used by the Dockerfile and by `make bench`.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import datetime
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
forwarded_allow_ips = "*"
# 120 s: a staff action may render a few bulletins; public requests never render one.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# gunicorn 24+ opens a control socket in $HOME: unused here, and it would collide between the
# servers of one account (the benchmark's and a developer's).
control_socket_disable = True

# Recycle each worker after about five thousand requests: a PDF (WeasyPrint, fontTools) leaves
# tens of megabytes behind in the worker that rendered it (anonymous requests never render one:
# editions are stored). Not much sooner: a recycled worker loses the page fragments it keeps
# (guichet.cache), and at a thousand requests a busy worker restarted every few seconds.
# The jitter keeps the workers from restarting together.
max_requests = 5000
max_requests_jitter = 500

# Load the application once in the master: workers start at once (recycled ones too) and share
# the imported code copy-on-write.
preload_app = True


def when_ready(server):
    """Warm what every worker would otherwise build on its first request, then fork."""
    import holidays
    from django.db import connections

    from demographie import contours

    # The slot search's public holidays: the package and its French calendars load lazily.
    holidays.France(subdiv="57", years=datetime.date.today().year)
    # The map outlines (about 20 MB, shared by the workers): read on a worker's first map,
    # they held that request and the connections queued behind it for about a second.
    contours.precharger()
    connections.close_all()  # never share a database connection with the forked workers
