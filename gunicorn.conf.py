"""gunicorn settings of the portal, used by the Dockerfile and by `make bench`.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
forwarded_allow_ips = "*"
