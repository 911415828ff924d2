"""Caching of computed figures and pages' expensive parts.

The cache is Redis when ``REDIS_URL`` is set and per-process local memory otherwise.
Keys carry a *version* read from the database (e.g. when a deployment's aggregates last
changed), so a write invalidates every process's copy at once, whatever the backend —
nothing has to be deleted by hand and a stale figure cannot be served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

T = TypeVar("T")

DEFAULT_TIMEOUT = 24 * 3600
_MISSING = object()


def scope_key(user: Any) -> str:
    """What the user may see, as a short string: users with the same key see the same figures."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anon"
    if user.is_central:
        return "central"
    own = user.pk if user.role == "member" else ""
    return f"{user.role}:{user.province_id or ''}:{getattr(user, 'network_id', '') or ''}:{own}"


def make_key(prefix: str, *parts: Any) -> str:
    """A cache key from a prefix and any printable parts (hashed, so it stays short),
    including the active language (figures carry translated labels)."""
    digest = hashlib.sha256(repr((get_language(), parts)).encode()).hexdigest()[:32]
    return f"portal:{prefix}:{digest}"


def cached(key: str, compute: Callable[[], T], timeout: int = DEFAULT_TIMEOUT) -> T:
    """``compute()``, stored under ``key`` (the key must carry the data's version)."""
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value  # type: ignore[return-value]


def data_version(topic: str) -> str:
    """The version of a family of tables (``portal.DataVersion``, raised by database
    triggers in every writing transaction): one small query."""
    from django.db.models import Count, Sum

    from portal.models import DataVersion

    row = DataVersion.objects.filter(topic=topic).aggregate(total=Sum("version"), shards=Count("pk"))
    return f"{row['shards']}:{row['total'] or 0}"
