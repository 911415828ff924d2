from __future__ import annotations

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from portal.links import absolute


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by staff, never by open sign-up. Links in allauth's e-mails
    are built from SITE_URL (portal.links), not from the request's host."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute(path.replace("UID-KEY", quote(key)))
