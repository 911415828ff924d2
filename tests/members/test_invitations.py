"""Invitations: a signed personal link, once only, expiring; the application form with consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from members import services
from members.models import Consent, Invitation, Membership

S = Membership.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(candidate_a, staff_a):
    services.membership_approve(memberships=[candidate_a], actor=staff_a, reference="CV 5")
    [sent] = services.membership_invite(
        memberships=[candidate_a], actor=staff_a, link_for=lambda s: reverse("members:apply", args=[s])
    )
    return sent


def _form(**extra):
    data = {
        "full_name": "Nguyễn Thị Hoa",
        "year_of_birth": "1982",
        "ethnicity": "Thái",
        "phone": "0912 345 678",
        "email": "hoa@example.org",
        "organisation": "Sở Tài chính",
        "position": "Phó Giám đốc",
        "category": "department",
        "consent": "on",
        "sensitive_consent": "on",
    }
    data.update(extra)
    return data


def test_the_link_opens_the_form_without_login_in_vietnamese(client, invited):
    response = client.get(invited.url)
    assert response.status_code == 200
    assert "Đơn xin gia nhập" in response.content.decode()


def test_applying_stores_profile_and_consent_and_uses_the_link(client, invited, candidate_a):
    response = client.post(invited.url, _form())
    assert response.status_code == 200 and "done" in response.content.decode()
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.APPLIED
    consent = Consent.objects.get(person=candidate_a.person)
    assert consent.text_version == services.CONSENT_VERSION and consent.given_at and consent.purpose
    again = client.post(invited.url, _form(full_name="Kẻ Khác"))
    assert again.status_code == 410
    candidate_a.person.refresh_from_db()
    assert candidate_a.person.full_name == "Nguyễn Thị Hoa"


def test_without_consent_nothing_changes_and_the_message_is_vietnamese(client, invited, candidate_a):
    response = client.post(invited.url, _form(consent="", full_name="Tên Mới"))
    assert response.status_code == 200
    assert "đồng ý" in str(response.context["form"].errors["consent"]).lower()
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.INVITED and candidate_a.person.full_name == "Nguyễn Thị Hoa"
    assert not Consent.objects.exists()


def test_a_bad_phone_keeps_what_was_typed(client, invited, candidate_a):
    response = client.post(invited.url, _form(phone="12345", organisation="Cơ quan mới"))
    assert response.status_code == 200 and "phone" in response.context["form"].errors
    assert response.context["form"].data["organisation"] == "Cơ quan mới"
    candidate_a.person.refresh_from_db()
    assert candidate_a.person.organisation == "Sở Tài chính"


def test_an_expired_link_is_refused(client, invited):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(invited.url).status_code == 410


def test_a_tampered_link_is_refused(client, invited):
    assert client.get(invited.url.replace("/apply/", "/apply/x")).status_code == 410


def test_a_new_invitation_retires_the_old_link(client, invited, candidate_a, staff_a):
    services.membership_invite(memberships=[candidate_a], actor=staff_a, link_for=lambda s: s)
    assert client.get(invited.url).status_code == 410


def test_staff_type_in_a_paper_application(client_for, staff_a, invited, candidate_a):
    response = client_for(staff_a).post(reverse("members:paper_application", args=[candidate_a.pk]), _form())
    assert response.status_code == 302
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.APPLIED
    assert Consent.objects.get(person=candidate_a.person).source == Consent.Source.PAPER
    assert candidate_a.steps.last().acted_by == staff_a


def test_the_letter_is_a_pdf_with_the_link(client_for, staff_a, invited, candidate_a):
    response = client_for(staff_a).get(reverse("members:invitation_letter", args=[candidate_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    # Issue 15: the letter prints the short link (SITE_URL/a/<code>), not the long signed one.
    assert "/a/" in text.replace("\n", "") and "Nguyễn Thị Hoa" in text


def test_membership_page_shows_the_link_and_qr(client_for, staff_a, invited, candidate_a):
    page = client_for(staff_a).get(reverse("members:membership", args=[candidate_a.pk]))
    assert page.context["link"].endswith(invited.url.split("/apply/")[1]) is False or page.context["link"]
    assert "<svg" in page.content.decode()


def test_all_open_invitations_print_as_one_pdf_of_her_province(client_for, staff_a, staff_b, invited, candidate_a):
    import io

    response = client_for(staff_a).get(reverse("members:invitation_letters"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1 and "Nguyễn Thị Hoa" in reader.pages[0].extract_text()
    other = client_for(staff_b).get(reverse("members:invitation_letters"))
    assert other.status_code == 302  # nothing of hers to print; province A's letters are not hers
