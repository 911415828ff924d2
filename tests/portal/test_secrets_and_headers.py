"""Issue 11 (8, 3): start-up refuses example or short keys, SURVEY_KEY is required in
production; every generated page has a CSP and ``no-store``; staff sessions end."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from portal.env import known_example_values
from portal.security import SESSION_LAST_SEEN, SESSION_STARTED
from tests.portal.test_settings import PROD_ENV, ROOT, _manage


def _example(name: str) -> str:
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith(name + "="):
            return line.split("=", 1)[1]
    raise AssertionError(name)


def test_env_example_lists_survey_key_and_its_values_are_known():
    values = known_example_values(ROOT / ".env.example")
    assert _example("SECRET_KEY") in values
    assert _example("SURVEY_KEY") in values


@pytest.mark.parametrize("name", ["SECRET_KEY", "SURVEY_KEY"])
def test_key_copied_from_env_example_refuses_to_start(name):
    result = _manage("check", env={**PROD_ENV, name: _example(name)})
    assert result.returncode != 0
    assert name in result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "SURVEY_KEY"])
def test_key_shorter_than_50_characters_refuses_to_start(name):
    result = _manage("check", env={**PROD_ENV, name: "k" * 49})
    assert result.returncode != 0
    assert name in result.stderr


def test_production_requires_a_survey_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SURVEY_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SURVEY_KEY" in result.stderr


def test_survey_key_equal_to_secret_key_refuses_to_start():
    result = _manage("check", env={**PROD_ENV, "SURVEY_KEY": PROD_ENV["SECRET_KEY"]})
    assert result.returncode != 0
    assert "SURVEY_KEY" in result.stderr


def test_personal_page_has_csp_and_no_store(client_for, staff_a, member_a):
    person = member_a.person
    response = client_for(staff_a).get(reverse("members:person", args=[person.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp


def test_export_has_no_store(client_for, staff_a, network_a):
    response = client_for(staff_a).get(reverse("members:export", args=["csv"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_no_inline_event_handlers(client_for, staff_a, member_a):
    """Script is only allowed from the portal's own files: an onchange=… would be blocked."""
    for url in [reverse("home"), reverse("members:person", args=[member_a.person.pk])]:
        html = client_for(staff_a).get(url).content.decode()
        assert "onchange=" not in html
        assert "onsubmit=" not in html


def test_staff_session_ends_after_an_hour_idle(client_for, staff_a):
    client = client_for(staff_a)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - 3601
    session.save()
    response = client.get(reverse("members:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert "_auth_user_id" not in client.session


def test_staff_session_ends_after_eight_hours_even_when_active(client_for, staff_a):
    client = client_for(staff_a)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 8 * 3600 - 1
    session[SESSION_LAST_SEEN] = int(time.time()) - 10
    session.save()
    response = client.get(reverse("members:list"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_session_cookie_expires_when_idle(client_for, staff_a):
    client = client_for(staff_a)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == 3600


def test_member_session_is_not_cut_after_an_hour(client_for, member_a):
    client = client_for(member_a)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - 7200
    session.save()
    assert client.get(reverse("members:me")).status_code == 200
