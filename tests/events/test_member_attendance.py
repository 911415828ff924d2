"""Attendance rate per member: one selector for the staff page, the member's own page and reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Invitation
from events.selectors import member_attendance_rates, person_attendance_history
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _past_event(network, **kwargs):
    start = timezone.now() - timedelta(days=5)
    return EventFactory(networks=[network], starts_at=start, ends_at=start + timedelta(hours=4), **kwargs)


@pytest.fixture
def record(staff_a, network_a, members_a):
    """Three past events and one upcoming: Hoa attends 2 of 3, Hà declines one and attends 1 of 2."""
    hoa, ha, _trang = members_a
    events = [_past_event(network_a) for _ in range(3)]
    cancelled = _past_event(network_a, status=Event.Status.CANCELLED)
    upcoming = EventFactory(networks=[network_a])
    for event in [*events, cancelled, upcoming]:
        services.invitation_invite_members(event=event, by=staff_a)
    for event in events[:2]:
        services.attendance_check_in(event=event, person=hoa, by=staff_a)
    Invitation.objects.filter(event=events[0], person=ha).update(status=Invitation.Status.DECLINED)
    services.attendance_check_in(event=events[1], person=ha, by=staff_a)
    return hoa, ha


def test_rates_count_ended_events_and_ignore_declined_cancelled_and_upcoming(record, staff_a):
    hoa, ha = record
    rows = {r.full_name: r for r in member_attendance_rates(staff_a)}
    assert (rows[hoa.full_name].expected, rows[hoa.full_name].attended) == (3, 2)
    assert rows[hoa.full_name].attendance_rate == pytest.approx(2 / 3)
    assert (rows[ha.full_name].expected, rows[ha.full_name].attended) == (2, 1)
    history = person_attendance_history(hoa)
    assert (history.expected, history.attended) == (3, 2)


def test_staff_of_other_province_see_no_rows(record, staff_b, client_for):
    assert member_attendance_rates(staff_b) == []
    response = client_for(staff_b).get(reverse("events:attendance_by_member"))
    assert response.context["rows"] == []
    assert record[0].full_name not in response.content.decode()


def test_page_shows_rates_with_constant_queries(record, staff_a, client_for, network_a, members_a):
    client = client_for(staff_a)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("events:attendance_by_member"), {"network": network_a.pk})
    assert "67%" in response.content.decode()
    event = _past_event(network_a)
    services.invitation_invite_members(event=event, by=staff_a)
    for person in members_a:
        services.attendance_check_in(event=event, person=person, by=staff_a)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("events:attendance_by_member"), {"network": network_a.pk})
    assert 0 < len(few) == len(many)


@pytest.mark.parametrize("persona", ["member_a", "donor_viewer", "board_member_a"])
def test_non_staff_get_404(persona, request, client_for):
    response = client_for(request.getfixturevalue(persona)).get(reverse("events:attendance_by_member"))
    assert response.status_code == 404
