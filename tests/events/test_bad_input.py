"""Bad input is refused with a clear message and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Attendance, Event, Invitation
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _event_kwargs(network, **overrides):
    start = timezone.now() + timedelta(days=10)
    data = {
        "networks": [network],
        "title": "Tập huấn",
        "kind": Event.Kind.TRAINING,
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "duration_days": Decimal("1"),
        "venue": "Hội trường tỉnh",
    }
    data.update(overrides)
    return data


def test_service_refuses_an_event_that_ends_before_it_starts(staff_a, network_a):
    start = timezone.now() + timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            by=staff_a, **_event_kwargs(network_a, starts_at=start, ends_at=start - timedelta(hours=1))
        )
    assert "ends_at" in error.value.message_dict
    assert Event.objects.count() == 0


def test_form_shows_vietnamese_error_and_creates_nothing_when_end_is_before_start(client_for, staff_a, network_a):
    response = client_for(staff_a).post(
        reverse("events:create"),
        {
            "title": "Tập huấn sai giờ",
            "kind": "training",
            "networks": [network_a.pk],
            "starts_at": "2027-03-10T14:00",
            "ends_at": "2027-03-10T08:00",
            "duration_days": "1",
            "mode": "in_person",
            "venue": "Hội trường",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "Sự kiện phải kết thúc sau khi bắt đầu." in response.content.decode()
    assert Event.objects.count() == 0


def test_provincial_staff_cannot_create_an_event_for_another_province(staff_a, network_b):
    with pytest.raises(ValidationError):
        services.event_create(by=staff_a, **_event_kwargs(network_b))
    assert Event.objects.count() == 0


def test_online_event_needs_its_link(staff_a, network_a):
    with pytest.raises(ValidationError) as error:
        services.event_create(by=staff_a, **_event_kwargs(network_a, mode=Event.Mode.ONLINE, venue=""))
    assert "online_link" in error.value.message_dict


def test_checking_in_someone_not_invited_is_refused(staff_a, training_a, network_a):
    stranger = PersonFactory(province=network_a.province, full_name="Người Chưa Mời")
    with pytest.raises(ValidationError) as error:
        services.attendance_check_in(event=training_a, person=stranger, by=staff_a)
    assert "Người Chưa Mời" in error.value.messages[0]
    assert not Attendance.objects.exists()


def test_a_not_invited_person_is_checked_in_only_as_an_explicit_walk_in(staff_a, training_a, network_a):
    stranger = PersonFactory(province=network_a.province)
    attendance = services.attendance_check_in(event=training_a, person=stranger, by=staff_a, walk_in=True)
    assert attendance.method == Attendance.Method.WALK_IN
    assert attendance.invitation is None
    assert attendance.is_member is False


def test_check_in_view_refuses_a_not_invited_person_with_a_message(client_for, staff_a, training_a, network_a):
    stranger = PersonFactory(province=network_a.province, full_name="Người Chưa Mời")
    response = client_for(staff_a).post(
        reverse("events:checkin_person", args=[training_a.pk]), {"person": stranger.pk}, follow=True
    )
    text = response.content.decode()
    assert "Người Chưa Mời chưa được mời dự sự kiện này" in text
    assert not Attendance.objects.exists()


def test_a_second_check_in_is_idempotent_and_counted_once(client_for, staff_a, training_a, members_a):
    services.invitation_invite_members(event=training_a, by=staff_a)
    person = members_a[0]
    first = services.attendance_check_in(event=training_a, person=person, by=staff_a)
    again = services.attendance_check_in(event=training_a, person=person, by=staff_a)
    assert first.pk == again.pk
    client = client_for(staff_a)
    client.post(reverse("events:checkin_person", args=[training_a.pk]), {"person": person.pk})
    assert Attendance.objects.filter(event=training_a, person=person).count() == 1
    from events.selectors import event_attendance_figures

    assert event_attendance_figures(training_a).attended == 1


def test_qr_check_in_after_the_event_closed_is_refused(past_training_a, member_a):
    person = member_a.person
    Invitation.objects.create(event=past_training_a, person=person, is_member=True)
    with pytest.raises(ValidationError) as error:
        services.attendance_check_in(event=past_training_a, person=person, by=member_a, method=Attendance.Method.QR)
    assert error.value.messages == ["Đã hết thời gian điểm danh cho sự kiện này."]
    assert not Attendance.objects.exists()


def test_qr_check_in_page_after_close_shows_message_and_records_nothing(client_for, past_training_a, member_a):
    Invitation.objects.create(event=past_training_a, person=member_a.person, is_member=True)
    url = reverse("events:self_checkin", args=[past_training_a.checkin_token])
    response = client_for(member_a).post(url, follow=True)
    assert "Đã hết thời gian điểm danh cho sự kiện này." in response.content.decode()
    assert not Attendance.objects.exists()


def test_staff_may_still_check_in_after_the_event_for_typing_up_paper_sheets(staff_a, past_training_a, members_a):
    services.invitation_invite_members(event=past_training_a, by=staff_a)
    attendance = services.attendance_check_in(event=past_training_a, person=members_a[0], by=staff_a)
    assert attendance.method == Attendance.Method.STAFF


def test_cancelled_event_takes_no_check_in(staff_a, training_a, members_a):
    services.invitation_invite_members(event=training_a, by=staff_a)
    Event.objects.filter(pk=training_a.pk).update(status=Event.Status.CANCELLED)
    training_a.refresh_from_db()
    with pytest.raises(ValidationError):
        services.attendance_check_in(event=training_a, person=members_a[0], by=staff_a)
    assert not Attendance.objects.exists()


def test_walk_in_guest_form_with_bad_phone_adds_nobody(client_for, staff_a, training_a):
    from members.models import Person

    before = Person.objects.count()
    response = client_for(staff_a).post(
        reverse("events:checkin_walk_in", args=[training_a.pk]),
        {
            "walkin-full_name": "Khách Vãng Lai",
            "walkin-phone": "abc",
            "walkin-province": training_a.networks.get().province_id,
        },
        follow=True,
    )
    assert "Khách vãng lai chưa được thêm" in response.content.decode()
    assert Person.objects.count() == before
    assert not Attendance.objects.exists()


def test_capacity_puts_late_acceptances_on_the_waiting_list_and_a_decline_promotes(staff_a, training_a, members_a):
    training_a.capacity = 2
    training_a.save()
    services.invitation_invite_members(event=training_a, by=staff_a)
    invitations = [Invitation.objects.get(event=training_a, person=p) for p in members_a]
    first, second, third = (services.invitation_respond(invitation=i, accept=True) for i in invitations)
    assert [first.status, second.status, third.status] == ["accepted", "accepted", "waitlisted"]
    services.invitation_respond(invitation=first, accept=False)
    third.refresh_from_db()
    assert third.status == Invitation.Status.ACCEPTED
    assert Invitation.objects.filter(event=training_a, status="accepted").count() == 2
