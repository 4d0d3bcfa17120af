"""Embedded PostgreSQL (pgserver) for development and tests when DATABASE_URL is not set.

The server keeps running between commands so that a second `make run` is fast; `make db-stop`
stops it. Data lives in `.data/pg` (git-ignored).
"""

import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".data" / "pg"

# platformdirs warns about XDG_RUNTIME_DIR on servers; pgserver's socket lives in PGDATA anyway.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def embedded_database_url() -> str:
    try:
        import pgserver
    except ImportError as exc:  # production image: no embedded server
        raise RuntimeError(
            "DATABASE_URL n'est pas défini et le serveur PostgreSQL embarqué (pgserver) "
            "n'est pas installé. Définissez DATABASE_URL."
        ) from exc
    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(PGDATA, cleanup_mode=None)
    return server.get_uri()


def stop() -> None:
    import pgserver

    if PGDATA.exists():
        pgserver.get_server(PGDATA, cleanup_mode="stop").cleanup()


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(embedded_database_url())
