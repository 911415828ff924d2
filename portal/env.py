"""Typed readers for settings taken from the environment.

Each helper fails loudly with ImproperlyConfigured on a value it cannot read, so a
mistyped variable stops start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable as a string, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return True/False for 1/0, true/false, yes/no, on/off; raise on anything else."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    """Return the variable as an int; raise when it is not a whole number."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


SUPPORTED_DB_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def database_config(url: str) -> dict[str, Any]:
    """Parse DATABASE_URL into a Django DATABASES entry (SQLite or PostgreSQL only)."""
    import dj_database_url

    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in SUPPORTED_DB_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {scheme or url!r} is not supported; "
            "use sqlite:///path/to/file.sqlite3 or postgres://user@host:port/name."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60 if scheme != "sqlite" else 0)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from exc
    if scheme != "sqlite":
        config["CONN_HEALTH_CHECKS"] = True
    return config


def known_example_values(path: Any) -> set[str]:
    """The values assigned in an example environment file (``.env.example``): a secret
    copied from it is public, so start-up refuses it."""
    from pathlib import Path

    file = Path(path)
    if not file.exists():
        return set()
    values = set()
    for line in file.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            value = line.split("=", 1)[1].strip().strip("'\"")
            if value:
                values.add(value)
    return values
