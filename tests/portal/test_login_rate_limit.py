import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_six_wrong_passwords_on_the_portal_login_are_refused_with_429(client, staff_a):
    statuses = [
        client.post(reverse("account_login"), {"login": staff_a.email, "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    # even the right password is refused while the limit holds
    right = client.post(reverse("account_login"), {"login": staff_a.email, "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_six_wrong_passwords_on_the_admin_login_are_refused_with_429(client, staff_a):
    url = reverse("admin:login")
    statuses = [client.post(url, {"username": staff_a.email, "password": "wrong"}).status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    assert client.post(url, {"username": staff_a.email, "password": PASSWORD}).status_code == 429


def test_admin_and_portal_logins_share_one_budget(client, staff_a):
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": staff_a.email, "password": "wrong"})
    for _ in range(2):
        client.post(reverse("account_login"), {"login": staff_a.email, "password": "wrong"})
    assert client.post(reverse("account_login"), {"login": staff_a.email, "password": "x"}).status_code == 429


def test_the_429_page_explains_in_vietnamese(client, staff_a):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": staff_a.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": staff_a.email, "password": "wrong"})
    assert "Quá nhiều lần thử" in response.content.decode()


def test_a_good_login_works_and_is_not_throttled(client, staff_a):
    response = client.post(reverse("account_login"), {"login": staff_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_a.pk)


def test_admin_login_works_for_staff(client, staff_a):
    response = client.post(reverse("admin:login"), {"username": staff_a.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_password_message_is_vietnamese(client, staff_a):
    response = client.post(reverse("account_login"), {"login": staff_a.email, "password": "wrong"})
    assert "không đúng" in response.content.decode()


@pytest.mark.parametrize(
    "variant",
    ["  {e}", "{e}   ", "\t{e}\n", "{E}", "  {E}  "],
    ids=["leading", "trailing", "tab-newline", "upper", "upper-padded"],
)
def test_padding_or_case_does_not_buy_more_admin_attempts(client, staff_a, variant):
    """Issue 9: the admin login budget counts the normalised address."""
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": staff_a.email, "password": "wrong"})
    padded = variant.format(e=staff_a.email, E=staff_a.email.upper())
    assert client.post(url, {"username": padded, "password": PASSWORD}).status_code == 429
    assert client.post(reverse("account_login"), {"login": padded, "password": PASSWORD}).status_code == 429


def test_padded_failures_spend_the_same_budget(client, staff_a):
    url = reverse("admin:login")
    for i in range(5):
        client.post(url, {"username": " " * (i + 1) + staff_a.email.upper(), "password": "wrong"})
    assert client.post(url, {"username": staff_a.email, "password": PASSWORD}).status_code == 429
