"""Login throttling shared by the portal login (allauth) and the Django admin login.

allauth counts failed logins per address and per IP ("login_failed" in
ACCOUNT_RATE_LIMITS) but refuses the next one with a form error, and does not
guard the admin login at all. Both views are wrapped here: once the budget is
spent, any further POST gets a 429 page before the password is even checked, and
failed admin logins consume the same budget as failed portal logins.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.http import HttpRequest, HttpResponse


def normalise_login(email: str) -> str:
    """The address as the login forms read it: surrounding spaces dropped, lower case
    (Unicode-aware), so "  Alice@X.org " spends the same budget as "alice@x.org"."""
    return unicodedata.normalize("NFC", email or "").strip().casefold()


def _login_key(request: HttpRequest, email: str) -> str:
    return get_adapter(request)._get_login_attempts_cache_key(request, email=normalise_login(email))


def _budget_left(request: HttpRequest, email: str) -> bool:
    return ratelimit.consume(request, action="login_failed", key=_login_key(request, email), dry_run=True)


def throttled_portal_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap allauth's login view: a POST after the failure budget is spent gets 429."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not _budget_left(request, request.POST.get("login", "")):
            return ratelimit.respond_429(request)
        return view(request, *args, **kwargs)

    return wrapper


def throttled_admin_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap the admin login: refuse with 429 when spent, count each failed attempt."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        email = request.POST.get("username", "")
        if not _budget_left(request, email):
            return ratelimit.respond_429(request)
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            ratelimit.consume(request, action="login_failed", key=_login_key(request, email))
        return response

    return wrapper
