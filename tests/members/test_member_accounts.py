"""Members reach the portal: admission gives her an account and a welcome message with a
one-time sign-in link; staff give access to existing members in bulk; she signs in
without a password by a code sent by e-mail or SMS; access ends with her membership."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from members import services
from members.models import Membership
from portal import sms
from portal.models import User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = Membership.Status


@pytest.fixture
def applicant(network_a):
    return MembershipFactory(
        network=network_a, status=S.APPLIED, person__full_name="Lê Thị Mới", person__email="moi@example.org"
    )


def _link(text: str) -> str:
    return re.search(r"https?://\S+", text).group(0)


def test_admission_gives_her_an_account_and_a_welcome_link(
    applicant, staff_a, client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_admit(memberships=[applicant], actor=staff_a, decision_number="QĐ 12")
    applicant.person.refresh_from_db()
    user = applicant.person.user
    assert user.role == "member" and user.email == "moi@example.org" and not user.has_usable_password()
    [welcome] = mail.outbox
    link = _link(welcome.body)
    assert link.startswith(settings.SITE_URL + "/members/welcome/")
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200, "a link preview (GET) does not use the link up"
    signed_in = client.post(path)
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("surveys:list")
    assert client.get(reverse("surveys:list")).status_code == 200
    client.logout()
    used = client.post(path)
    assert used.status_code == 410 and "đã được sử dụng" in used.content.decode()


def test_a_member_with_only_a_phone_gets_the_welcome_by_sms(network_a, staff_a, django_capture_on_commit_callbacks):
    membership = MembershipFactory(network=network_a, status=S.APPLIED, person__email="", person__phone="+84912345678")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_admit(memberships=[membership], actor=staff_a, decision_number="QĐ 13")
    [text] = sms.outbox
    assert text.to == "+84912345678" and "/members/welcome/" in text.text
    assert mail.outbox == []


def test_staff_give_portal_access_to_existing_members_in_bulk(
    network_a, staff_a, client_for, django_capture_on_commit_callbacks
):
    members = [MembershipFactory(network=network_a) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_a).post(
            reverse("members:pipeline"), {"action": "access", "memberships": [m.pk for m in members]}
        )
    assert response.status_code == 302
    assert User.objects.filter(role="member", person__in=[m.person for m in members]).count() == 3
    assert len(mail.outbox) == 3


def test_staff_of_another_province_cannot_give_access(network_a, staff_b, client_for):
    membership = MembershipFactory(network=network_a)
    client_for(staff_b).post(reverse("members:pipeline"), {"action": "access", "memberships": [membership.pk]})
    membership.person.refresh_from_db()
    assert membership.person.user is None


def test_candidates_are_not_given_access(network_a, staff_a):
    candidate = MembershipFactory(network=network_a, status=S.CANDIDATE)
    with pytest.raises(Exception, match="Only active members|thành viên"):
        services.member_access_give(people=[candidate.person])
    candidate.person.refresh_from_db()
    assert candidate.person.user is None


def test_access_ends_when_her_membership_ends(applicant, staff_a, client):
    services.membership_admit(memberships=[applicant], actor=staff_a, decision_number="QĐ 14")
    services.membership_change_status(membership=applicant, to_status=S.LEFT, actor=staff_a)
    applicant.person.refresh_from_db()
    assert applicant.person.user.is_active is False
    client.post(reverse("account_request_login_code"), {"email": "moi@example.org"})
    assert mail.outbox[-1:] == [] or "moi@example.org" not in mail.outbox[-1].to or "code" not in mail.outbox[-1].body


def test_she_signs_in_with_a_code_by_email(applicant, staff_a, client):
    services.membership_admit(memberships=[applicant], actor=staff_a, decision_number="QĐ 15")
    mail.outbox.clear()
    response = client.post(reverse("account_request_login_code"), {"email": "moi@example.org"})
    assert response.status_code == 302
    code = re.search(r"^(\d{6})$", mail.outbox[0].body, re.M).group(1)
    signed_in = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert signed_in.status_code == 302
    assert client.get(reverse("surveys:list")).wsgi_request.user == applicant.person.user


def test_she_signs_in_with_a_code_by_sms(network_a, staff_a, client, django_capture_on_commit_callbacks):
    membership = MembershipFactory(network=network_a, status=S.APPLIED, person__email="", person__phone="+84987654321")
    services.membership_admit(memberships=[membership], actor=staff_a, decision_number="QĐ 16")
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"phone": "0987 654 321"})
    assert response.status_code == 302, response.content.decode()[:2000]
    code = re.search(r"(\d{6})$", sms.outbox[-1].text).group(1)
    signed_in = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert signed_in.status_code == 302
    membership.person.refresh_from_db()
    assert client.get(reverse("surveys:list")).wsgi_request.user == membership.person.user


def test_four_wrong_sign_in_codes_end_the_attempt(applicant, staff_a, client):
    services.membership_admit(memberships=[applicant], actor=staff_a, decision_number="QĐ 17")
    mail.outbox.clear()
    client.post(reverse("account_request_login_code"), {"email": "moi@example.org"})
    code = re.search(r"^(\d{6})$", mail.outbox[0].body, re.M).group(1)
    for _ in range(4):
        client.post(reverse("account_confirm_login_code"), {"code": "000000" if code != "000000" else "111111"})
    late = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert not client.get(reverse("surveys:list")).wsgi_request.user.is_authenticated, late.status_code
