"""``make bench`` figures for reports: queuing a request, and rendering donor reports."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse

from events.models import Event
from members.models import Category, Membership, Person
from networks.models import Commune, Network, Province
from portal.models import User
from portal.roles import Role
from reports.models import ReportRequest

MEMBERS_PER_NETWORK = 100
EVENTS_PER_NETWORK = 5
CATEGORIES = [c for c, _ in Category.choices]
KINDS = [k for k, _ in Event.Kind.choices]


def _central_user() -> User:
    user, _ = User.objects.get_or_create(email="bench.central@example.org", defaults={"role": Role.CENTRAL_STAFF})
    return user


def _networks() -> list[Network]:
    """One network per province, each with 100 members and 5 events in 2026 (made once)."""
    existing = list(Network.objects.filter(name__startswith="Bench network").order_by("pk"))
    if existing:
        return existing
    communes = {c.province_id: c for c in Commune.objects.order_by("province_id", "code").distinct()}
    networks = Network.objects.bulk_create(
        [
            Network(province=p, name=f"Bench network {p.name}", status=Network.Status.ACTIVE)
            for p in Province.objects.order_by("code")
        ]
    )
    people, memberships, events, links = [], [], [], []
    start = datetime(2026, 2, 1, 1, tzinfo=UTC)
    for network in networks:
        for i in range(MEMBERS_PER_NETWORK):
            people.append(
                Person(
                    province_id=network.province_id,
                    full_name=f"Nguyễn Thị Bench {network.pk}-{i}",
                    ethnicity="Tày" if i % 5 == 0 else "Kinh",
                    category=CATEGORIES[i % len(CATEGORIES)],
                    commune=communes.get(network.province_id) if i % 3 else None,
                )
            )
    Person.objects.bulk_create(people, batch_size=500)
    for index, person in enumerate(people):
        network = networks[index // MEMBERS_PER_NETWORK]
        memberships.append(Membership(network=network, person=person, status=Membership.Status.MEMBER))
    Membership.objects.bulk_create(memberships, batch_size=500)
    for network in networks:
        for i in range(EVENTS_PER_NETWORK):
            begins = start + timedelta(days=30 * i)
            events.append(
                Event(
                    title=f"Tập huấn {network.province.name} {i + 1}",
                    kind=KINDS[i % len(KINDS)],
                    status=Event.Status.HELD,
                    starts_at=begins,
                    ends_at=begins + timedelta(days=i % 2, hours=8),
                )
            )
    Event.objects.bulk_create(events, batch_size=500)
    for index, event in enumerate(events):
        links.append(Event.networks.through(event=event, network=networks[index // EVENTS_PER_NETWORK]))
    Event.networks.through.objects.bulk_create(links, batch_size=500)
    return networks


def _render(networks: list[Network]) -> float:
    from reports.services import report_generate

    report = ReportRequest.objects.create(
        kind=ReportRequest.Kind.DONOR, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), language="en"
    )
    report.networks.set(networks)
    began = time.perf_counter()
    report = report_generate(report_id=report.pk)
    elapsed = time.perf_counter() - began
    if report.status != ReportRequest.Status.DONE:
        raise RuntimeError(f"bench report failed: {report.error}")
    return elapsed


def bench_report_queue_request() -> Iterator[tuple[str, float, str]]:
    """The web request that queues a donor report (median of 10). With REDIS_URL it
    publishes to Redis; without, to Celery's in-memory broker (not run in-process)."""
    from portal.celery import app

    networks = _networks()[:3]
    client = Client()
    client.force_login(_central_user())
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    data = {
        "kind": "donor",
        "networks": [n.pk for n in networks],
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "language": "en",
        "donor_agreement": "UNDP 2026",
    }
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    timings = []
    try:
        client.post(reverse("reports:create"), data)  # warm-up: URL resolving, templates, connections
        for _ in range(10):
            began = time.perf_counter()
            response = client.post(reverse("reports:create"), data)
            timings.append(time.perf_counter() - began)
            if response.status_code != 302:
                raise RuntimeError(f"queuing failed with HTTP {response.status_code}")
    finally:
        app.conf.task_always_eager = eager
        app.control.purge()  # nobody will run these
    yield "report_queue_request", statistics.median(timings) * 1000, "ms"


def bench_donor_report_34_provinces() -> Iterator[tuple[str, float, str]]:
    yield "donor_report_34_provinces", _render(_networks()), "s"


def bench_donor_report_3_networks() -> Iterator[tuple[str, float, str]]:
    yield "donor_report_3_networks", _render(_networks()[:3]), "s"


BENCHMARKS = [bench_report_queue_request, bench_donor_report_34_provinces, bench_donor_report_3_networks]
