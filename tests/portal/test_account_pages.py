"""Issue 15: the account pages the portal shows (password change, e-mail) are Vietnamese,
and the header links to the password change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.browser.english_words import english_words_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}


def test_the_header_links_to_the_password_change(client_for, member_a):
    page = client_for(member_a).get("/", headers=ENGLISH_BROWSER).content.decode()
    assert reverse("account_change_password") in page


@pytest.mark.parametrize("name", ["account_change_password", "account_email"])
def test_account_pages_are_vietnamese_in_an_english_browser(client_for, member_a, name):
    page = client_for(member_a).get(reverse(name), headers=ENGLISH_BROWSER)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'lang="vi"' in text
    body = text.split("<main", 1)[1].split("</main>", 1)[0]
    assert english_words_in(re.sub(r"<[^>]+>", " ", body)) == []


def test_changing_the_password_speaks_vietnamese(client_for, member_a):
    client = client_for(member_a)
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "sai-mat-khau", "password1": "Moi-mat-khau-2026", "password2": "Moi-mat-khau-2026"},
        headers=ENGLISH_BROWSER,
    ).content.decode()
    assert "Please type your current password" not in wrong
    done = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Moi-mat-khau-2026", "password2": "Moi-mat-khau-2026"},
        headers=ENGLISH_BROWSER,
        follow=True,
    ).content.decode()
    assert "Mật khẩu" in done and "successfully" not in done
