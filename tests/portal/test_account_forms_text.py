"""allauth's forms get the portal's text hygiene (``portal.account_forms``): a control
character typed or pasted into a login, e-mail or code box is removed, text is NFC,
passwords pass as typed, and nothing answers with a 500."""

from __future__ import annotations

import re

import pytest
from allauth.account import app_settings
from allauth.utils import get_form_class
from django.core import mail
from django.urls import reverse

from portal.text import CleanTextFormMixin
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# allauth's own form for each id its views look up (``ACCOUNT_FORMS`` replaces each).
FORM_IDS = [
    "login",
    "signup",
    "add_email",
    "change_email",
    "change_password",
    "set_password",
    "reset_password",
    "reset_password_from_key",
    "user_token",
    "reauthenticate",
    "request_login_code",
    "confirm_login_code",
    "confirm_email_verification_code",
    "confirm_password_reset_code",
    "verify_phone",
    "change_phone",
]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_allauth_form_cleans_its_text(form_id):
    form_class = get_form_class(app_settings.FORMS, form_id, None)
    assert form_class is not None and issubclass(form_class, CleanTextFormMixin)


def test_a_control_character_in_the_login_address_is_stripped_and_she_signs_in(client):
    user = UserFactory(email="lan@example.org", role="provincial_staff")
    response = client.post(reverse("account_login"), {"login": "lan\x01@exam\x7fple.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user


def test_a_password_is_passed_as_typed(client):
    UserFactory(email="lan@example.org", role="central")
    response = client.post(reverse("account_login"), {"login": "lan@example.org", "password": PASSWORD + "\x01"})
    assert response.status_code == 200  # a wrong password, not a cleaned one


@pytest.mark.parametrize("value", ["\x00", "lan\x00@example.org", "\x1b[31m", "a" * 5000 + "\x08"])
def test_control_characters_in_account_forms_never_500(client, value):
    UserFactory(email="lan@example.org", role="central")
    for name, data in [
        ("account_login", {"login": value, "password": value}),
        ("account_reset_password", {"email": value}),
        ("account_request_login_code", {"email": value}),
    ]:
        assert client.post(reverse(name), data).status_code in (200, 302), name


def test_login_by_code_address_and_code_are_cleaned(client):
    user = UserFactory(email="lan@example.org", role="central")
    response = client.post(reverse("account_request_login_code"), {"email": "LAN\x0e@example.org"})
    assert response.status_code == 302
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": f"{code[:3]}\x07{code[3:]}"})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user


def test_an_added_email_address_is_stored_without_control_characters(client_for):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="lan@example.org", role="central")
    client = client_for(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "lan.moi\x02@example.org"})
    assert response.status_code in (200, 302)
    assert EmailAddress.objects.filter(user=user, email="lan.moi@example.org").exists()
    assert not EmailAddress.objects.filter(email__contains="\x02").exists()
