"""PostgreSQL with at most ``CONNEXIONS_MAX`` connections open at once in one process.

The development server (``make run``, Django's runserver) answers each client in a thread of
its own, without limit: under 150 concurrent bookings it opened more connections than
PostgreSQL accepts (100 on the embedded server) and answered 500 ("too many clients"). Like the
fixed number of gunicorn workers in production, the bound makes a request wait for a connection
instead of failing. Django's own pool would do it too, but needs psycopg_pool, which the portal
does not install.

Each connection holds a token from its opening to its closing, so the bound only serves where
connections close after each request (``CONN_MAX_AGE=0``, as ``make run`` sets it): a
persistent connection kept by an idle keep-alive thread would keep its token.
"""

import threading

from django.db.backends.postgresql import base
from django.db.utils import OperationalError

ATTENTE_MAX = 60  # seconds a request waits for a connection, as long as a slow page may take

_jetons: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_verrou = threading.Lock()


def jetons(alias: str, nombre: int) -> threading.BoundedSemaphore:
    """The process's tokens for the connections of ``alias``."""
    with _verrou:
        return _jetons.setdefault((alias, nombre), threading.BoundedSemaphore(nombre))


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._jeton = None

    def get_new_connection(self, conn_params):
        nombre = int(self.settings_dict.get("CONNEXIONS_MAX") or 0)
        if not nombre:
            return super().get_new_connection(conn_params)
        jeton = jetons(self.alias, nombre)
        if not jeton.acquire(timeout=ATTENTE_MAX):
            raise OperationalError(
                f"Aucune des {nombre} connexions à la base ne s'est libérée en {ATTENTE_MAX} s."
            )
        try:
            connexion = super().get_new_connection(conn_params)
        except BaseException:
            jeton.release()
            raise
        self._jeton = jeton
        return connexion

    def _close(self):
        try:
            return super()._close()
        finally:
            jeton, self._jeton = self._jeton, None
            if jeton is not None:
                jeton.release()
