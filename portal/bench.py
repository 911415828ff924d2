"""``make bench`` figures for the home page: the staff home page's query count with 10,
100 and 1,000 pending items of each kind (it must not grow)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.utils import timezone

from events.models import Event
from members.models import Membership, Person
from networks.models import Network, Province, Task
from portal.models import Role, User

SIZES = (10, 100, 1000)


def _add_pending(network: Network, n: int, start: int) -> None:
    """``n`` more of each kind of pending item: applications, removal requests, events
    this week waiting for approval, tasks due today."""
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            province=network.province,
            full_name=f"Nguyễn Thị Chờ {start + i}",
            email=f"pending{start + i}@example.org",
            removal_requested_at=now,
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(network=network, person=p, status=Membership.Status.APPLIED, status_changed_at=now) for p in people
    )
    events = Event.objects.bulk_create(
        Event(
            title=f"Sự kiện chờ duyệt {start + i}",
            starts_at=now + timedelta(hours=1 + i % 100),
            ends_at=now + timedelta(hours=5 + i % 100),
            venue="Hội trường",
            awaiting_approval=True,
        )
        for i in range(n)
    )
    Event.networks.through.objects.bulk_create(
        Event.networks.through(event_id=e.pk, network_id=network.pk) for e in events
    )
    Task.objects.bulk_create(
        Task(network=network, title=f"Việc {start + i}", assignee=p, deadline=timezone.localdate())
        for i, p in enumerate(people)
    )


def _queries(client: Client, url: str) -> int:
    count = 0

    def counter(execute, sql, params, many, context):  # noqa: ANN001
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return count


def bench_home_page() -> Iterator[tuple[str, float | int, str]]:
    province = Province.objects.get(codename="hung_yen")
    network = Network.objects.create(province=province, name="Mạng lưới đo trang chủ")
    staff = User.objects.create_user(
        email=f"home-bench-{time.monotonic_ns()}@example.org",
        role=Role.PROVINCIAL_STAFF,
        province=province,
        is_staff=True,
    )
    client = Client()
    client.force_login(staff)
    counts = {}
    done = 0
    for size in SIZES:
        _add_pending(network, size - done, done)
        done = size
        client.get("/")  # warm the session and caches
        counts[size] = _queries(client, "/")
    constant = len(set(counts.values())) == 1
    for size, n in counts.items():
        yield f"home_page_staff_queries_{size}_pending", n, "queries"
    yield "home_page_staff_queries", counts[SIZES[-1]], "queries" + ("" if constant else " (NOT constant)")


BENCHMARKS = [bench_home_page]
