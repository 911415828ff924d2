"""The event list and event pages keep a constant query count with 10 and 300 attendees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Attendance, Invitation
from members.models import Membership, Person
from tests.events.factories import AgendaItemFactory, MediaCoverageFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _fill(event, network, count):
    """``count`` members of ``network`` invited to and present at ``event`` (bulk, fast)."""
    people = Person.objects.bulk_create(
        [Person(province=network.province, full_name=f"Người {event.pk}-{i}") for i in range(count)]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, person=p, status=Membership.Status.MEMBER) for p in people]
    )
    invitations = Invitation.objects.bulk_create(
        [Invitation(event=event, person=p, is_member=True, status="accepted") for p in people]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(event=event, person=p, invitation=i, is_member=True, checked_in_at=timezone.now())
            for p, i in zip(people, invitations, strict=True)
        ]
    )


def _decorate(event):
    event.topics.add(TopicFactory(), TopicFactory())
    speaker = SpeakerFactory()
    AgendaItemFactory(event=event, speaker=speaker)
    AgendaItemFactory(event=event, speaker=SpeakerFactory())
    event.speakers.add(speaker)
    MediaCoverageFactory(event=event)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("path", ["detail", "checkin"])
def test_event_pages_constant_with_10_and_300_attendees(
    path, client_for, staff_a, training_a, past_training_a, network_a
):
    _fill(training_a, network_a, 10)
    _fill(past_training_a, network_a, 300)
    _decorate(training_a)
    _decorate(past_training_a)
    client = client_for(staff_a)
    few, small = _count(client, reverse(f"events:{path}", args=[training_a.pk]))
    many, big = _count(client, reverse(f"events:{path}", args=[past_training_a.pk]))
    assert 0 < few == many
    assert big.context["figures"].attended == 300
    assert small.context["figures"].attended == 10


def test_event_list_constant_with_10_and_300_attendees(client_for, staff_a, network_a):
    from tests.factories import EventFactory

    few_event = EventFactory(networks=[network_a])
    _fill(few_event, network_a, 10)
    client = client_for(staff_a)
    few, _ = _count(client, reverse("events:list"))
    for _i in range(3):
        event = EventFactory(networks=[network_a])
        _fill(event, network_a, 300 if _i == 0 else 5)
    many, response = _count(client, reverse("events:list"))
    assert 0 < few == many
    counts = sorted(e.attended_count for e in response.context["upcoming"])
    assert counts == [5, 5, 10, 300]


def test_member_history_constant(client_for, member_a, network_a, training_a, past_training_a):
    person = member_a.person
    Invitation.objects.create(event=training_a, person=person, is_member=True)
    client = client_for(member_a)
    few, _ = _count(client, reverse("events:mine"))
    from tests.factories import EventFactory

    for _i in range(10):
        Invitation.objects.create(event=EventFactory(networks=[network_a]), person=person, is_member=True)
    many, _ = _count(client, reverse("events:mine"))
    assert 0 < few == many
