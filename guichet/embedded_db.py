"""Embedded PostgreSQL (pgserver) for development and tests when DATABASE_URL is not set.

The server keeps running between commands so that a second `make run` is fast; `make db-stop`
stops it. Data lives in `.data/pg` (git-ignored).
"""

import os
import subprocess
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


def _pg_ctl(*args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    from pgserver._commands import POSTGRES_BIN_PATH

    commande = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(PGDATA), *args]
    # As root, pgserver runs the server as its own "pgserver" system user.
    utilisateur = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    return subprocess.run(
        commande, user=utilisateur, capture_output=True, text=True, timeout=timeout, check=False
    )


def _pid_du_serveur() -> int | None:
    try:
        return int((PGDATA / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def stop() -> int:
    """Stop the embedded server whatever pgserver remembers of its clients (its handle file may
    list pids long dead, which made pgserver's own cleanup keep the server running). Returns
    the exit status: 0 when no server runs any more."""
    handles = PGDATA / ".handle_pids.json"
    if not PGDATA.exists() or _pg_ctl("status").returncode == 3:  # 3: no server running
        handles.unlink(missing_ok=True)
        print(f"Aucun serveur PostgreSQL embarqué en marche ({PGDATA}).")
        return 0
    pid = _pid_du_serveur()
    resultat = _pg_ctl("stop", "-w", "-m", "fast")
    if _pg_ctl("status").returncode != 3:
        print(f"Le serveur PostgreSQL embarqué (pid {pid}) ne s'est pas arrêté :", file=sys.stderr)
        print(resultat.stderr.strip() or resultat.stdout.strip(), file=sys.stderr)
        return 1
    handles.unlink(missing_ok=True)
    print(f"Serveur PostgreSQL embarqué arrêté (pid {pid}, données dans {PGDATA}).")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        sys.exit(stop())
    else:
        print(embedded_database_url())
