"""``make bench`` figures for events: page times and query counts with 300 attendees,
and check-in speed. Runs on the throw-away database the bench command creates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Attendance, Event, Invitation
from members.models import Membership, Person
from networks.models import Network, Province
from portal.models import Role, User

ATTENDEES = 300


def _setup() -> tuple[User, Event, Network]:
    province = Province.objects.get(codename="hung_yen")
    network = Network.objects.create(province=province, name="Mạng lưới đo hiệu năng")
    staff = User.objects.create_user(
        email=f"bench-{time.monotonic_ns()}@example.org", role=Role.PROVINCIAL_STAFF, province=province, is_staff=True
    )
    start = timezone.now() + timedelta(days=3)
    event = services.event_create(
        by=staff,
        networks=[network],
        title="Tập huấn đo hiệu năng",
        kind=Event.Kind.TRAINING,
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        duration_days=Decimal("1"),
        venue="Hội trường",
    )
    people = Person.objects.bulk_create(
        [Person(province=province, full_name=f"Thành viên {i:03d}") for i in range(ATTENDEES)]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, person=p, status=Membership.Status.MEMBER) for p in people]
    )
    return staff, event, network


def _timed_get(client: Client, url: str, repeat: int = 5) -> tuple[float, int]:
    client.get(url)  # warm up
    # Count through an execute wrapper: the request cycle resets the debug query log.
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # noqa: ANN001
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    started = time.perf_counter()
    for _ in range(repeat):
        assert client.get(url).status_code == 200
    return (time.perf_counter() - started) / repeat * 1000, len(queries)


def bench_event_pages() -> Iterator[tuple[str, float | int, str]]:
    staff, event, network = _setup()
    started = time.perf_counter()
    services.invitation_invite_members(event=event, by=staff)
    yield "events.invite_300_members", (time.perf_counter() - started) * 1000, "ms"

    people = list(Person.objects.filter(event_invitations__event=event))
    started = time.perf_counter()
    for person in people:
        services.attendance_check_in(event=event, person=person, by=staff)
    yield "events.check_in", (time.perf_counter() - started) / len(people) * 1000, "ms per person"
    started = time.perf_counter()
    services.attendance_check_in(event=event, person=people[0], by=staff)
    yield "events.check_in_repeat", (time.perf_counter() - started) * 1000, "ms"
    assert (
        Attendance.objects.filter(event=event).count() == len(people) == Invitation.objects.filter(event=event).count()
    )

    client = Client()
    client.force_login(staff)
    for name, url in [
        ("event_page", reverse("events:detail", args=[event.pk])),
        ("checkin_page", reverse("events:checkin", args=[event.pk])),
        ("event_list", reverse("events:list")),
        ("attendance_by_member", reverse("events:attendance_by_member")),
    ]:
        ms, queries = _timed_get(client, url)
        yield f"events.{name}_{ATTENDEES}_attendees", ms, "ms"
        yield f"events.{name}_{ATTENDEES}_attendees_queries", queries, "queries"
    started = time.perf_counter()
    response = client.get(reverse("events:signin_sheet", args=[event.pk]))
    assert response.status_code == 200
    yield f"events.signin_sheet_pdf_{ATTENDEES}_rows", (time.perf_counter() - started) * 1000, "ms"


BENCHMARKS = [bench_event_pages]
