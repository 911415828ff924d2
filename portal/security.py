"""Response headers and session limits that protect personal data.

* A Content-Security-Policy on every response (Django 5.2 has none built in): scripts only
  from the portal itself, no plugins, no framing, forms post only back to the portal.
* ``Cache-Control: no-store`` on every page and file the portal generates: they are
  personal pages, lists and exports, and must not stay in a shared browser's cache.
* Staff sessions end after ``STAFF_SESSION_MAX_AGE`` seconds (8 h) and after
  ``STAFF_SESSION_IDLE`` seconds (1 h) without a request.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Charts are inline SVG with <style> elements and bars use width styles.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Survey pages that work offline (issue 16) keep a blank copy on the device through their
# service worker, which no-store breaks; they are still never stored by shared caches.
OFFLINE_PAGES = re.compile(r"^/surveys/(s/[^/]+|\d+/paper)/$")
OFFLINE_CACHE_CONTROL = "private, no-cache, must-revalidate, max-age=0"

SESSION_STARTED = "_portal_session_started"
SESSION_LAST_SEEN = "_portal_session_last_seen"
# Write the "last seen" time at most once a minute, not on every request.
LAST_SEEN_RESOLUTION = 60


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and, for generated responses, ``no-store``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if OFFLINE_PAGES.match(request.path):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = OFFLINE_CACHE_CONTROL
        elif not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            # Personal pages and exports: never kept in a (shared) browser or proxy cache.
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
        return response


def start_session_clock(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """On login, start the clocks the staff session limits are measured against (so a
    page view does not need to write the session just to start them)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST_SEEN] = now
    if getattr(user, "is_portal_staff", False):
        request.session.set_expiry(settings.STAFF_SESSION_IDLE)


class StaffSessionLimitMiddleware:
    """Logs staff out 8 hours after they logged in and after 1 hour without a request.
    Must come after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "is_portal_staff", False):
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED)
            last_seen = session.get(SESSION_LAST_SEEN)
            if started is None:
                session[SESSION_STARTED] = started = now
            expired = now - started > settings.STAFF_SESSION_MAX_AGE or (
                last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE
            )
            if expired:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[SESSION_LAST_SEEN] = now
                # The cookie itself dies when idle too (the browser forgets it).
                session.set_expiry(settings.STAFF_SESSION_IDLE)
        return self.get_response(request)
