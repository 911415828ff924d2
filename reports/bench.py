"""``make bench`` figures for reports: queuing a request, and rendering donor reports."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Attendance, Event, Invitation, MediaCoverage, Speaker
from members.models import Category, Membership, Person
from networks.models import BoardSeat, BoardTerm, Commune, Network, Province
from portal.models import User
from portal.roles import Role
from reports.models import ReportRequest
from reports.pipeline import render_processes

MEMBERS_PER_NETWORK = 100
EVENTS_PER_NETWORK = 5
INVITED_MEMBERS_PER_EVENT = 30  # of whom 25 attend
GUESTS_PER_EVENT = 5
CATEGORIES = [c for c, _ in Category.choices]
KINDS = [k for k, _ in Event.Kind.choices]


def _central_user() -> User:
    user, _ = User.objects.get_or_create(email="bench.central@example.org", defaults={"role": Role.CENTRAL_STAFF})
    return user


def _networks() -> list[Network]:
    """One network per province, each with 100 members, a board of 7 and 5 events in 2026
    with 30 members invited (25 attend), 5 guests, 2 speakers and 2 news items, a needs
    survey and a pre/post-surveyed training (made once)."""
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
    _activity(networks, people, events)
    _surveys(networks, people, events)
    return networks


def _activity(networks: list[Network], members: list[Person], events: list[Event]) -> None:
    """Boards, invitations, attendance (members and guests), speakers and media."""
    terms = BoardTerm.objects.bulk_create([BoardTerm(network=n, starts_on=date(2025, 3, 1)) for n in networks])
    roles = [BoardSeat.Role.CHAIR] + [BoardSeat.Role.VICE_CHAIR] * 2 + [BoardSeat.Role.MEMBER] * 4
    BoardSeat.objects.bulk_create(
        [
            BoardSeat(term=term, person=members[index * MEMBERS_PER_NETWORK + i], role=role)
            for index, term in enumerate(terms)
            for i, role in enumerate(roles)
        ],
        batch_size=500,
    )
    speakers = Speaker.objects.bulk_create(
        [
            Speaker(kind=Speaker.Kind.TRAINER if i % 2 else Speaker.Kind.GUEST_SPEAKER, full_name=f"Chuyên gia {i}")
            for i in range(10)
        ]
    )
    guests = Person.objects.bulk_create(
        [
            Person(province_id=networks[index // EVENTS_PER_NETWORK].province_id, full_name=f"Khách mời {index}-{g}")
            for index in range(len(events))
            for g in range(GUESTS_PER_EVENT)
        ],
        batch_size=500,
    )
    invitations, attendances, speaker_links, media = [], [], [], []
    for index, event in enumerate(events):
        network_index = index // EVENTS_PER_NETWORK
        invitees = [
            (members[network_index * MEMBERS_PER_NETWORK + i], True) for i in range(INVITED_MEMBERS_PER_EVENT)
        ] + [(guest, False) for guest in guests[index * GUESTS_PER_EVENT : (index + 1) * GUESTS_PER_EVENT]]
        for i, (person, is_member) in enumerate(invitees):
            invitation = Invitation(event=event, person=person, is_member=is_member, status=Invitation.Status.ACCEPTED)
            invitations.append(invitation)
            if i % 6 != 5:  # 25 of the 30 members and most guests attend
                attendances.append(
                    Attendance(
                        event=event,
                        person=person,
                        invitation=invitation,
                        is_member=is_member,
                        checked_in_at=event.starts_at,
                    )
                )
        speaker_links += [
            Event.speakers.through(event=event, speaker=speakers[(index + k) % len(speakers)]) for k in range(2)
        ]
        media += [
            MediaCoverage(
                event=event,
                outlet="Báo Phụ nữ Việt Nam",
                published_on=event.starts_at.date(),
                title=f"{event.title}: tin {k + 1}",
                url=f"https://phunuvietnam.vn/tin-{event.pk}-{k}",
            )
            for k in range(2)
        ]
    Invitation.objects.bulk_create(invitations, batch_size=500)
    Attendance.objects.bulk_create(attendances, batch_size=500)
    Event.speakers.through.objects.bulk_create(speaker_links, batch_size=500)
    MediaCoverage.objects.bulk_create(media, batch_size=500)


def _surveys(networks: list[Network], members: list[Person], events: list[Event]) -> None:
    """Per network a needs survey answered by 20 members, and pre/post surveys of its first
    event answered by the 25 members who attended (so every network has both sections)."""
    from surveys.models import Answer, Deployment, Question, SurveyTemplate
    from surveys.models import Response as SurveyResponse

    rng = random.Random(6)  # noqa: S311 - bench data, not security
    now = datetime(2026, 2, 1, 1, tzinfo=UTC)
    needs = SurveyTemplate.objects.get(family="needs-survey")
    prepost = SurveyTemplate.objects.get(family="training-pre-post")
    plans = []  # (deployment, template, respondents)
    for index, network in enumerate(networks):
        own = members[index * MEMBERS_PER_NETWORK : (index + 1) * MEMBERS_PER_NETWORK]
        first_event = events[index * EVENTS_PER_NETWORK]
        for template, event, phase, people in (
            (needs, None, "", own[:20]),
            (prepost, first_event, Deployment.Phase.PRE, own[:25]),
            (prepost, first_event, Deployment.Phase.POST, own[:25]),
        ):
            deployment = Deployment.objects.create(
                template=template, network=network, event=event, phase=phase, opens_at=now, closes_at=now
            )
            deployment.networks.add(network)
            plans.append((deployment, template, people))
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                deployment=deployment,
                person=person,
                respondent_key=f"person:{person.pk}",
                status=SurveyResponse.Status.SUBMITTED,
                province_id=person.province_id,
                network_id=deployment.network_id,
                submitted_at=now,
            )
            for deployment, _, people in plans
            for person in people
        ],
        batch_size=500,
    )
    questions = {t.pk: list(t.questions.prefetch_related("options")) for t in (needs, prepost)}
    answers = []
    for response in responses:
        for question in questions[response.deployment.template_id]:
            options = list(question.options.all())
            if question.kind == Question.Kind.SINGLE and options:
                answers.append(Answer(response=response, question=question, option=rng.choice(options)))
            elif question.kind == Question.Kind.MULTIPLE and options:
                answers += [
                    Answer(response=response, question=question, option=option)
                    for option in rng.sample(options, k=min(2, len(options)))
                ]
            elif question.kind in Question.NUMERIC_KINDS:
                answers.append(Answer(response=response, question=question, number=rng.randint(1, 5)))
    Answer.objects.bulk_create(answers, batch_size=2000)


def _agreement(networks: list[Network]) -> Any:
    """An agreement over ``networks`` with the demo agreement's results framework (six
    computed indicators, each with a target per province; made once per set of networks)."""
    from networks.indicators import IndicatorSource
    from networks.models import DonorAgreement, Indicator, IndicatorTarget, Result, ResultLevel

    number = f"BENCH-{len(networks)}"
    agreement = DonorAgreement.objects.filter(number=number).first()
    if agreement:
        return agreement
    agreement = DonorAgreement.objects.create(
        donor="UNDP",
        number=number,
        title_vi="Thỏa thuận đo hiệu năng",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    agreement.networks.set(networks)
    outcome = Result.objects.create(agreement=agreement, level=ResultLevel.OUTCOME, code="1", statement_vi="Kết quả")
    output = Result.objects.create(
        agreement=agreement, level=ResultLevel.OUTPUT, parent=outcome, code="1.1", statement_vi="Đầu ra"
    )
    sources = [
        IndicatorSource.IMPROVED_SHARE,
        IndicatorSource.TRAININGS_HELD,
        IndicatorSource.WORKSHOPS_HELD,
        IndicatorSource.PEOPLE_TRAINED,
        IndicatorSource.MEMBERS,
        IndicatorSource.MEDIA_ITEMS,
    ]
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                result=output if i else outcome, code=f"{i}", name_vi=source, unit_vi="#", source=source, target=10
            )
            for i, source in enumerate(sources)
        ]
    )
    IndicatorTarget.objects.bulk_create(
        [IndicatorTarget(indicator=ind, province_id=n.province_id, target=3) for ind in indicators for n in networks]
    )
    return agreement


def _render(networks: list[Network]) -> tuple[float, int]:
    """Seconds to generate a donor report over ``networks`` on an agreement with a results
    framework, and its number of queries."""
    from reports.services import report_generate

    report = ReportRequest.objects.create(
        agreement=_agreement(networks),
        kind=ReportRequest.Kind.DONOR,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        language="en",
        requested_by=_central_user(),  # pre/post figures are read with the requester's scope
    )
    report.networks.set(networks)
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        report = report_generate(report_id=report.pk)
    elapsed = time.perf_counter() - began
    if report.status != ReportRequest.Status.DONE:
        raise RuntimeError(f"bench report failed: {report.error}")
    return elapsed, len(queries.captured_queries)


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


def _one_process(networks: list[Network]) -> float:
    """Seconds for the same report with every part laid out one after the other."""
    old = settings.REPORTS_RENDER_PROCESSES
    settings.REPORTS_RENDER_PROCESSES = 1
    try:
        return _render(networks)[0]
    finally:
        settings.REPORTS_RENDER_PROCESSES = old


# The headline figures lay the parts out on REPORTS_RENDER_PROCESSES processes (default:
# the CPUs), as `make run`'s worker (2 processes) renders them; `_one_process` is the
# same report on one process, for comparison across machines.
def bench_donor_report_34_provinces() -> Iterator[tuple[str, float | int, str]]:
    seconds, queries = _render(_networks())
    yield "donor_report_34_provinces", seconds, "s"
    yield "donor_report_34_provinces_queries", queries, "queries"
    yield "donor_report_34_provinces_processes", render_processes(len(_networks()) + 3), "processes"
    yield "donor_report_34_provinces_one_process", _one_process(_networks()), "s"


def bench_donor_report_3_networks() -> Iterator[tuple[str, float | int, str]]:
    seconds, queries = _render(_networks()[:3])
    yield "donor_report_3_networks", seconds, "s"
    yield "donor_report_3_networks_queries", queries, "queries"
    yield "donor_report_3_networks_one_process", _one_process(_networks()[:3]), "s"


BENCHMARKS = [bench_report_queue_request, bench_donor_report_34_provinces, bench_donor_report_3_networks]
