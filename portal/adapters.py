"""allauth, fitted to the portal: no open sign-up; links from SITE_URL; phone login by
SMS through portal.sms, the phone number being the one on her person record."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.links import absolute


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by staff (or on admission), never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute(path.replace("UID-KEY", quote(key)))

    # --- phone login: the number lives on members.Person, the code goes by SMS ---------

    def phone_form_field(self, **kwargs: Any) -> Any:
        """A phone box that accepts the ways Vietnamese numbers are written (0912 345 678)."""
        from allauth.account.fields import PhoneField

        kwargs.setdefault("validators", [])
        kwargs.setdefault("label", _("Mobile phone"))
        return PhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        from members.phones import normalise_phone

        try:
            return normalise_phone(phone)
        except forms.ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - any other parse failure reads the same
            raise forms.ValidationError(_("Enter a valid mobile phone number.")) from exc

    def _person(self, user: Any) -> Any:
        from members.models import Person

        return Person.objects.filter(user=user).first() if getattr(user, "pk", None) else None

    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        from portal.sms import sms_queue

        person = self._person(user)
        sms_queue(
            to=phone,
            text=_("Your sign-in code for the women leaders' network portal: %(code)s") % {"code": code},
            purpose="login_code",
            province_id=person.province_id if person else None,
            sensitive=True,
        )

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        person = self._person(user)
        if person is None or not person.phone:
            return None
        # The number was recorded by her Provincial Union: it counts as verified.
        return str(person.phone), True

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        person = self._person(user)
        if person is not None:
            person.phone = phone
            person.save(update_fields=["phone", "updated_at"])

    def set_phone_verified(self, user: Any, phone: str) -> None:
        return None

    def get_user_by_phone(self, phone: str) -> Any:
        from portal.models import User

        return User.objects.filter(person__phone=phone, is_active=True).order_by("pk").first()
