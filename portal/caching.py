"""Caching of computed figures and pages' expensive parts.

The cache is Redis when ``REDIS_URL`` is set and per-process local memory otherwise.
Keys carry a *version* read from the database (e.g. when a deployment's aggregates last
changed), so a write invalidates every process's copy at once, whatever the backend —
nothing has to be deleted by hand and a stale figure cannot be served.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
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


def page_content(
    request: Any,
    name: str,
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    topics: Sequence[str],
    params: Sequence[str] = (),
    per_minute: bool = False,
    extra: Sequence[Any] = (),
) -> str:
    """A page's content (``template`` with ``context()``), rendered once per scope,
    language, query string, version of each of ``topics`` (``data_version``) and
    ``extra``, and with ``per_minute`` once a minute (for pages that say what is past or
    open), then served from the cache. A query string with a parameter outside
    ``params`` is rendered but not kept. The content must hold nothing of the session
    (no CSRF token): forms that post stay outside it."""
    from django.template.loader import render_to_string

    from portal.rules import may

    def render() -> str:
        return render_to_string(template, context(), request=request)

    asked = sorted((key, request.GET.getlist(key)) for key in request.GET)
    if any(key not in params for key, _values in asked):
        return render()
    user = request.user
    # Staff of one scope see the same page; anyone else (a member, a board member, a
    # donor viewer) gets her own, since what she may do there can be hers alone.
    who = [scope_key(user), getattr(user, "is_superuser", False)]
    if not may(user, "use_staff_pages"):
        who.append(getattr(user, "pk", None))
    parts: list[Any] = [name, *who, asked, *(data_version(t) for t in topics), *extra]
    if per_minute:
        parts.append(int(time.time() // 60))
    return cached(make_key("page", *parts), render)
