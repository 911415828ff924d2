"""Absolute links to the portal, built from ``settings.SITE_URL`` only.

Every link that leaves the portal — in an e-mail, an SMS text, a printed letter, a QR
code, a share link or a page's Open Graph tags — is made here, never from the request's
Host header (which a proxy or an attacker may change) nor from the Sites framework
(whose domain follows ``SITE_URL``, see :func:`sync_site_domain`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def site_url() -> str:
    """``SITE_URL`` without a trailing slash, e.g. ``https://mangluoi.hoilhpn.org.vn``."""
    return settings.SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    """The absolute link to ``path`` (which starts with ``/``) on this portal."""
    if not path.startswith("/"):
        raise ValueError(f"Expected a path starting with '/', got {path!r}.")
    return site_url() + path


def absolute_url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs)`` as an absolute link."""
    return absolute(reverse(viewname, args=args or None, kwargs=kwargs or None))


def site_domain() -> str:
    """The host (and port, when not the default) of ``SITE_URL``: the Sites domain."""
    return urlsplit(site_url()).netloc


def sync_site_domain(**_: Any) -> None:
    """Make the current Site's domain follow ``SITE_URL`` (run after every migrate), so
    allauth's e-mails and anything else reading the Sites framework agree with it."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": settings.SITE_NAME})
