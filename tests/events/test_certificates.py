"""Certificates of attendance: only for those checked in (or meeting the multi-day rule),
bulk-printed per training, in Vietnamese or English, with a QR code to a public page
that shows the training, its date and the holder's initials — nothing more."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from events import certificates, services
from events.models import Attendance

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def checked_in(training_a, members_a, staff_a):
    services.invitation_invite_members(event=training_a, by=staff_a)
    services.attendance_check_in(event=training_a, person=members_a[0], by=staff_a)
    services.attendance_check_in(event=training_a, person=members_a[1], by=staff_a)
    return members_a[:2]


def test_bulk_certificates_only_for_those_checked_in(client_for, staff_a, training_a, checked_in, members_a):
    response = client_for(staff_a).get(reverse("events:certificates", args=[training_a.pk]) + "?lang=vi")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Lê Thị Hoa" in text and "Phạm Thu Hà" in text
    assert members_a[2].full_name not in text  # invited, not checked in
    assert "GIẤY CHỨNG NHẬN" in text.upper()
    assert len(PdfReader(__import__("io").BytesIO(response.content)).pages) == 2


def test_certificates_in_english(client_for, staff_a, training_a, checked_in):
    response = client_for(staff_a).get(reverse("events:certificates", args=[training_a.pk]) + "?lang=en")
    assert "Certificate of attendance" in _pdf_text(response.content)


def test_non_attendee_gets_no_certificate(client_for, training_a, member_a, staff_a, checked_in):
    services.invitation_invite_members(event=training_a, by=staff_a)
    response = client_for(member_a).get(reverse("events:my_certificate", args=[training_a.pk]))
    assert response.status_code == 404
    eligible = certificates.eligible_attendances(training_a, Attendance.objects.all())
    assert member_a.person not in [a.person for a in eligible]


def test_attendee_downloads_her_own_certificate(client_for, training_a, member_a, staff_a):
    services.invitation_invite_members(event=training_a, by=staff_a)
    services.attendance_check_in(event=training_a, person=member_a.person, by=staff_a)
    response = client_for(member_a).get(reverse("events:my_certificate", args=[training_a.pk]) + "?lang=en")
    assert response.status_code == 200
    assert member_a.person.full_name in _pdf_text(response.content)


def test_qr_leads_to_a_page_with_initials_only(client, training_a, checked_in, members_a):
    attendance = Attendance.objects.get(person=members_a[0])
    code = certificates.certificate_code(attendance)
    response = client.get(reverse("events:certificate_verify", args=[code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert training_a.title in page
    assert training_a.starts_at.astimezone().strftime("%d/%m/%Y") in page or "/20" in page
    assert response.context["holder_initials"] == "L.T.H."
    person = members_a[0]
    for personal in (person.full_name, "Hoa", person.email, person.organisation, str(person.year_of_birth)):
        assert personal not in page
    assert "L.T.H." in page


def test_the_pdf_qr_code_encodes_the_verification_link(rf, training_a, checked_in, members_a):
    attendance = Attendance.objects.get(person=members_a[0])
    request = rf.get("/")
    url = certificates.verification_url(request, attendance)
    assert re.search(r"/events/certificates/[^/]+/$", url)
    assert certificates.attendance_for_code(url.rstrip("/").rsplit("/", 1)[1]) == attendance


def test_forged_or_withdrawn_certificate_is_not_verified(client, training_a, checked_in, members_a, staff_a):
    attendance = Attendance.objects.get(person=members_a[0])
    code = certificates.certificate_code(attendance)
    assert client.get(reverse("events:certificate_verify", args=[code + "x"])).status_code == 404
    services.attendance_undo(attendance=attendance, by=staff_a)
    response = client.get(reverse("events:certificate_verify", args=[code]))
    assert response.status_code == 404
    assert training_a.title not in response.content.decode()


def test_multi_day_training_needs_the_attendance_rule(client_for, staff_a, training_a, checked_in, members_a):
    training_a.duration_days = Decimal("2.0")
    training_a.certificate_min_days = Decimal("1.5")
    training_a.save()
    client = client_for(staff_a)
    # One check-in is one day: not enough for a two-day training that requires 1.5 days.
    assert certificates.eligible_attendances(training_a, Attendance.objects.all()) == []
    client.post(reverse("events:checkin_days", args=[training_a.pk]), {"person": members_a[0].pk, "days_present": "2"})
    eligible = certificates.eligible_attendances(training_a, Attendance.objects.all())
    assert [a.person for a in eligible] == [members_a[0]]
    # More days than the training lasts is refused and changes nothing.
    client.post(reverse("events:checkin_days", args=[training_a.pk]), {"person": members_a[1].pk, "days_present": "3"})
    assert Attendance.objects.get(person=members_a[1]).days_present is None


def test_staff_of_another_province_gets_404_for_certificates(client_for, staff_b, training_a, checked_in):
    assert client_for(staff_b).get(reverse("events:certificates", args=[training_a.pk])).status_code == 404


def test_workshops_issue_no_certificates(client_for, staff_a, training_a, checked_in):
    training_a.kind = "workshop"
    training_a.save()
    assert client_for(staff_a).get(reverse("events:certificates", args=[training_a.pk])).status_code == 404
