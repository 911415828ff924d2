"""Self check-in only inside its window; staff undo a mistaken check-in (logged)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Attendance, Invitation


@pytest.fixture
def invited_member(training_a, member_a):
    Invitation.objects.create(event=training_a, person=member_a.person, is_member=True)
    return member_a


def test_self_check_in_twelve_days_early_is_refused_with_a_clear_message(client_for, training_a, invited_member):
    training_a.starts_at = timezone.now() + timedelta(days=12)
    training_a.ends_at = training_a.starts_at + timedelta(hours=8)
    training_a.save()
    url = reverse("events:self_checkin", args=[training_a.checkin_token])
    response = client_for(invited_member).post(url, follow=True)
    text = response.content.decode()
    assert "Chưa đến giờ điểm danh cho sự kiện này" in text
    assert "60 phút trước giờ bắt đầu" in text
    assert not Attendance.objects.exists()


def test_self_check_in_opens_a_set_time_before_the_start(training_a, invited_member, settings):
    settings.SELF_CHECKIN_OPENS_MINUTES_BEFORE = 60
    start = training_a.starts_at
    person = invited_member.person
    with pytest.raises(ValidationError):
        services.attendance_check_in(
            event=training_a, person=person, by=invited_member, method="qr", now=start - timedelta(minutes=61)
        )
    attendance = services.attendance_check_in(
        event=training_a, person=person, by=invited_member, method="qr", now=start - timedelta(minutes=59)
    )
    assert attendance.method == Attendance.Method.QR


def test_self_check_in_is_refused_after_the_end(training_a, invited_member):
    with pytest.raises(ValidationError) as error:
        services.attendance_check_in(
            event=training_a,
            person=invited_member.person,
            by=invited_member,
            method="qr",
            now=training_a.ends_at + timedelta(minutes=1),
        )
    assert error.value.messages == ["Đã hết thời gian điểm danh cho sự kiện này."]


def test_staff_check_in_is_not_limited_by_the_window(training_a, invited_member, staff_a):
    attendance = services.attendance_check_in(event=training_a, person=invited_member.person, by=staff_a)
    assert attendance.method == Attendance.Method.STAFF


def test_staff_undo_a_check_in_and_it_is_logged(client_for, training_a, invited_member, staff_a):
    services.attendance_check_in(event=training_a, person=invited_member.person, by=staff_a)
    client = client_for(staff_a)
    response = client.post(
        reverse("events:checkin_undo", args=[training_a.pk]),
        {"person": invited_member.person.pk, "reason": "Điểm danh nhầm"},
        follow=True,
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    log = Attendance.history.get(history_type="-")
    assert log.history_user == staff_a
    assert log.history_change_reason == "Điểm danh nhầm"
    assert log.person_id == invited_member.person.pk
    # She can be checked in again afterwards.
    services.attendance_check_in(event=training_a, person=invited_member.person, by=staff_a)
    assert Attendance.objects.count() == 1


def test_checkin_page_offers_undo(client_for, training_a, invited_member, staff_a):
    services.attendance_check_in(event=training_a, person=invited_member.person, by=staff_a)
    response = client_for(staff_a).get(reverse("events:checkin", args=[training_a.pk]))
    assert reverse("events:checkin_undo", args=[training_a.pk]) in response.content.decode()


def test_staff_of_another_province_cannot_undo(client_for, training_a, invited_member, staff_a, staff_b):
    services.attendance_check_in(event=training_a, person=invited_member.person, by=staff_a)
    response = client_for(staff_b).post(
        reverse("events:checkin_undo", args=[training_a.pk]), {"person": invited_member.person.pk}
    )
    assert response.status_code == 404
    assert Attendance.objects.count() == 1


def test_member_cannot_undo_a_check_in(client_for, training_a, invited_member, staff_a):
    services.attendance_check_in(event=training_a, person=invited_member.person, by=staff_a)
    response = client_for(invited_member).post(
        reverse("events:checkin_undo", args=[training_a.pk]), {"person": invited_member.person.pk}
    )
    assert response.status_code == 404
    assert Attendance.objects.count() == 1
