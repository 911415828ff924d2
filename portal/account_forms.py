"""allauth's forms with the portal's text hygiene (``portal.text``): a control character
typed or pasted into the login, e-mail, phone or code boxes is removed and the text is
NFC before allauth reads it, as on every other form of the portal. Passwords are passed
on exactly as typed. Wired in by ``ACCOUNT_FORMS`` in the settings."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import CleanTextFormMixin

_PASSWORDS = frozenset({"password", "password1", "password2", "oldpassword"})


class _Clean(CleanTextFormMixin):
    clean_text_keep = _PASSWORDS


class LoginForm(_Clean, allauth_forms.LoginForm):
    pass


class SignupForm(_Clean, allauth_forms.SignupForm):
    pass


class AddEmailForm(_Clean, allauth_forms.AddEmailForm):
    pass


class ChangeEmailForm(_Clean, allauth_forms.ChangeEmailForm):
    pass


class ChangePasswordForm(_Clean, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(_Clean, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(_Clean, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(_Clean, allauth_forms.ResetPasswordKeyForm):
    pass


class UserTokenForm(_Clean, allauth_forms.UserTokenForm):
    pass


class ReauthenticateForm(_Clean, allauth_forms.ReauthenticateForm):
    pass


class RequestLoginCodeForm(_Clean, allauth_forms.RequestLoginCodeForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Both boxes empty (or only control characters): allauth would go on without a
        # user and fail with a 500; ask for one of them instead.
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(_("Enter your e-mail address or your mobile phone number."))
        return cleaned


class ConfirmLoginCodeForm(_Clean, allauth_forms.ConfirmLoginCodeForm):
    pass


class ConfirmEmailVerificationCodeForm(_Clean, allauth_forms.ConfirmEmailVerificationCodeForm):
    pass


class ConfirmPasswordResetCodeForm(_Clean, allauth_forms.ConfirmPasswordResetCodeForm):
    pass


class VerifyPhoneForm(_Clean, allauth_forms.VerifyPhoneForm):
    pass


class ChangePhoneForm(_Clean, allauth_forms.ChangePhoneForm):
    pass
