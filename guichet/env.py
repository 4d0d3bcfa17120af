"""Typed readers for environment variables: a bad value stops the start-up with a clear message."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "oui"}
_FALSE = {"0", "false", "no", "off", "non", ""}


def _lire(name: str) -> str | None:
    """NAME from the environment, else (NAME unset or empty) the content of the file named by
    NAME_FILE (Docker or Kubernetes secrets), without its trailing newline."""
    if os.environ.get(name):
        return os.environ[name]
    chemin = os.environ.get(f"{name}_FILE")
    if not chemin:
        return os.environ.get(name)
    try:
        with open(chemin, encoding="utf-8") as f:
            return f.read().rstrip("\r\n")
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE : impossible de lire {chemin!r} ({exc}).") from exc


def env_str(name: str, default: str | None = None) -> str | None:
    value = _lire(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    raw = _lire(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} doit valoir true ou false, pas {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = _lire(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} doit être un nombre entier, pas {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = _lire(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, required: bool, dev_default: str) -> str:
    """A secret comes from the environment (or NAME_FILE); a development fallback is allowed
    when DEBUG."""
    value = _lire(name) or ""
    if value:
        return value
    if required:
        raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire.")
    return dev_default
