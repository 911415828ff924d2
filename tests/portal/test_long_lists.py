"""Long lists come a page at a time, search can use an index, and a provincial user's
scope is a plain join rather than a subquery over the whole country."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.models import Attendance, Event, Invitation
from members.models import Membership, Person
from members.selectors import person_search
from portal.paging import PAGE_SIZE

pytestmark = pytest.mark.django_db

N = PAGE_SIZE + 5


def _members(network, n=N):
    people = Person.objects.bulk_create(
        [Person(province=network.province, full_name=f"Người {i:03d}", search_text=f"nguoi {i:03d}") for i in range(n)]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, person=p, status=Membership.Status.MEMBER) for p in people]
    )
    return people


def test_attendance_by_member_is_paged(client_for, staff_a, network_a):
    people = _members(network_a)
    start = timezone.now() - timedelta(days=3)
    event = Event.objects.create(title="Tập huấn", starts_at=start, ends_at=start + timedelta(hours=8))
    event.networks.add(network_a)
    invitations = Invitation.objects.bulk_create(
        [Invitation(event=event, person=p, is_member=True, status="accepted") for p in people]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(event=event, person=p, invitation=i, is_member=True, checked_in_at=start)
            for p, i in zip(people, invitations, strict=True)
        ]
    )
    client = client_for(staff_a)
    first = client.get(reverse("events:attendance_by_member"), {"network": network_a.pk})
    assert len(first.context["rows"]) == PAGE_SIZE
    assert f"network={network_a.pk}&amp;page=2" in first.content.decode()
    second = client.get(reverse("events:attendance_by_member"), {"network": network_a.pk, "page": 2})
    assert [r.full_name for r in second.context["rows"]] == [f"Người {i:03d}" for i in range(PAGE_SIZE, N)]


def test_event_list_pages_past_events(client_for, staff_a, network_a):
    start = timezone.now() - timedelta(days=400)
    events = Event.objects.bulk_create(
        [
            Event(
                title=f"Sự kiện {i}",
                starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=4),
            )
            for i in range(N)
        ]
    )
    Event.networks.through.objects.bulk_create([Event.networks.through(event=e, network=network_a) for e in events])
    client = client_for(staff_a)
    first = client.get(reverse("events:list"))
    assert len(first.context["past"]) == PAGE_SIZE
    assert first.context["past"][0].title == f"Sự kiện {N - 1}"  # latest first
    second = client.get(reverse("events:list"), {"page": 2})
    assert [e.title for e in second.context["past"]] == [f"Sự kiện {i}" for i in range(4, -1, -1)]


def test_network_page_pages_its_members(client_for, staff_a, network_a):
    _members(network_a)
    client = client_for(staff_a)
    first = client.get(reverse("networks:detail", args=[network_a.pk]))
    assert len(first.context["members_page"].object_list) == PAGE_SIZE
    second = client.get(reverse("networks:detail", args=[network_a.pk]), {"page": 2})
    assert [m.person.full_name for m in second.context["members_page"]] == [
        f"Người {i:03d}" for i in range(PAGE_SIZE, N)
    ]


def test_provincial_scope_of_people_is_a_join_not_a_subquery(staff_a, network_a):
    _members(network_a, 3)
    sql = str(person_search(user=staff_a, query="nguoi").query).upper()
    assert "IN (SELECT" not in sql
    assert person_search(user=staff_a, query="nguoi 001").count() == 1


def test_provincial_scope_of_people_still_finds_only_her_province(staff_a, network_a, network_b):
    _members(network_b, 2)
    assert person_search(user=staff_a, query="nguoi").count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_search_text_has_a_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
