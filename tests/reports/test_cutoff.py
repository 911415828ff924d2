"""Period truth: a report regenerated with its old data cut-off has the same figures
whatever was entered since; planned events are listed as "next period", not counted;
members are those in force at the period end; needs highlights cover every needs
survey of the period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from events.models import Attendance, Event, MediaCoverage
from members.models import Membership, MembershipStep
from reports import figures
from reports.documents import report_content
from reports.models import LessonsLearned
from reports.services import report_generate, report_regenerate
from surveys.models import Deployment, SurveyTemplate
from tests.factories import EventFactory, MembershipFactory, PersonFactory
from tests.reports.factories import LessonsLearnedFactory, make_report, period_of
from tests.reports.test_generation import pdf_text
from tests.surveys.conftest import shipped_templates  # noqa: F401 - fixture
from tests.surveys.factories import deploy
from tests.surveys.test_needs_to_plan import _answer

pytestmark = pytest.mark.django_db


def _content_figures(report):  # noqa: ANN001, ANN202
    content = report_content(report)
    return {
        "summary": content["summary"],
        "events": {n["id"]: [(e["title"]["text"], e["attended"]) for e in n["events"]] for n in content["networks"]},
        "members": {n["id"]: n["members"] for n in content["networks"]},
        "media": {n["id"]: len(n["media"]) for n in content["networks"]},
        "lessons": {n["id"]: [entry["achievements"]["text"] for entry in n["lessons"]] for n in content["networks"]},
        "planned": content["planned_vs_delivered"],
    }


def test_regenerating_with_the_old_cutoff_gives_the_same_figures(populated_networks, central_staff):
    network_a, network_b = populated_networks
    original = make_report([network_a, network_b], kind="donor", language="vi", requested_by=central_staff)
    original = report_generate(report_id=original.pk)
    before = _content_figures(original)
    assert before["summary"]["events"] == 2 and before["summary"]["members"] == 6

    # New data after the cut-off: an event held in the period, a new member, attendance
    # at an old event, a news item, a membership ended, lessons rewritten.
    later = original.data_cutoff + timedelta(seconds=1)
    new_event = EventFactory(
        networks=[network_a],
        status="held",
        title="Sự kiện nhập sau",
        starts_at=datetime(2026, 4, 1, 1, tzinfo=UTC),
        ends_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
    )
    Event.objects.filter(pk=new_event.pk).update(created_at=later)
    newcomer = MembershipFactory(network=network_a)
    MembershipStep.objects.create(membership=newcomer, to_status=Membership.Status.MEMBER, acted_at=later)
    old_event = Event.objects.get(title="Tập huấn kỹ năng lãnh đạo")
    Attendance.objects.create(event=old_event, person=PersonFactory(), is_member=False, checked_in_at=later)
    MediaCoverage.objects.create(
        event=old_event, outlet="Báo", published_on=date(2026, 3, 3), title="Tin muộn", url="https://example.org/"
    )
    leaving = Membership.objects.filter(network=network_b, status=Membership.Status.MEMBER).first()
    MembershipStep.objects.create(membership=leaving, from_status="member", to_status="left", acted_at=later)
    Membership.objects.filter(pk=leaving.pk).update(status="left")
    entry = LessonsLearned.objects.get(network=network_a)
    entry.achievements = "Viết lại sau kỳ báo cáo"
    entry.save()

    regenerated = report_generate(report_id=report_regenerate(user=central_staff, report=original).pk)
    assert regenerated.data_cutoff == original.data_cutoff and regenerated.pk != original.pk
    assert regenerated.figures == original.figures
    assert _content_figures(regenerated) == before
    assert "Sự kiện nhập sau" not in pdf_text(bytes(regenerated.pdf))

    # A fresh report sees the new data.
    fresh = report_generate(report_id=make_report([network_a, network_b], kind="donor", requested_by=central_staff).pk)
    assert fresh.figures["events"] == 3 and fresh.figures["attended"] == original.figures["attended"] + 1
    assert fresh.figures["members"] == 6  # one joined, one left


def test_planned_events_are_next_period_not_delivered(network_a):
    now = timezone.now()
    EventFactory(
        networks=[network_a],
        status="held",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=8),
    )
    EventFactory(networks=[network_a], status="planned", title="Tập huấn sắp tới", starts_at=now + timedelta(days=5))
    EventFactory(networks=[network_a], status="cancelled", starts_at=now - timedelta(days=2))
    year = timezone.localdate().year
    period = period_of([network_a], start=date(year, 1, 1), end=date(year, 12, 31))
    assert [e.status for e in period.delivered] == ["held"]
    assert figures.summary(period)["events"] == 1
    assert [e["title"]["text"] for e in figures.next_period_by_network(period)[network_a.pk]] == ["Tập huấn sắp tới"]


def test_an_event_held_after_the_cutoff_counts_as_planned_then(network_a):
    event = EventFactory(
        networks=[network_a],
        status="planned",
        starts_at=datetime(2026, 3, 1, 1, tzinfo=UTC),
        ends_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )
    cutoff = timezone.now()
    event.status = "held"
    event.save()
    then = period_of([network_a], cutoff=cutoff)
    assert then.delivered == [] and [e.pk for e in then.upcoming] == [event.pk]
    assert [e.pk for e in period_of([network_a]).delivered] == [event.pk]


def test_members_are_counted_as_of_the_period_end(network_a):
    joined = MembershipFactory(network=network_a, status="member")
    MembershipStep.objects.create(membership=joined, to_status="member", acted_at=datetime(2026, 3, 1, tzinfo=UTC))
    late = MembershipFactory(network=network_a, status="member")
    MembershipStep.objects.create(membership=late, to_status="candidate", acted_at=datetime(2026, 2, 1, tzinfo=UTC))
    MembershipStep.objects.create(membership=late, to_status="member", acted_at=datetime(2027, 2, 1, tzinfo=UTC))
    left = MembershipFactory(network=network_a, status="left")
    MembershipStep.objects.create(membership=left, to_status="member", acted_at=datetime(2025, 3, 1, tzinfo=UTC))
    MembershipStep.objects.create(membership=left, to_status="left", acted_at=datetime(2027, 1, 5, tzinfo=UTC))
    legacy = MembershipFactory(network=network_a, status="member", joined_on=date(2025, 5, 1))
    period = period_of([network_a], start=date(2026, 1, 1), end=date(2026, 12, 31))
    counted = set(period.members().values_list("pk", flat=True))
    assert counted == {joined.pk, left.pk, legacy.pk}
    assert figures.summary(period)["members"] == 3


def test_needs_highlights_aggregate_every_needs_survey_of_the_period(shipped_templates, network_a):  # noqa: F811
    """The latest survey alone has 2 respondents (withheld); the period's two have 6."""
    needs = SurveyTemplate.objects.get(family="needs-survey")
    first = deploy(needs, network=network_a)
    for skills in (["protocol"], ["protocol", "fta"], ["fta"], ["protocol"]):
        _answer(first, network_a, skills)
    latest = deploy(needs, network=network_a)
    Deployment.objects.filter(pk=latest.pk).update(opens_at=first.opens_at + timedelta(hours=1))
    for skills in (["protocol"], ["culture"]):
        _answer(latest, network_a, skills)
    year = timezone.localdate().year
    period = period_of([network_a], start=date(year, 1, 1), end=date(year, 12, 31))
    section = figures.needs_by_network(period, min_respondents=5)[network_a.pk]
    assert section["surveys"] == 2 and section["respondents"] == 6 and not section["hidden"]
    assert section["needs"][0]["count"] == 4  # protocol: three in the first survey, one in the latest


def test_lessons_are_read_as_they_stood_at_the_cutoff(network_a):
    entry = LessonsLearnedFactory(network=network_a, achievements="Bản đầu")
    cutoff = timezone.now()
    entry.achievements = "Bản sửa"
    entry.save()
    from reports.period import Window

    window = Window.of(date(2026, 1, 1), date(2026, 12, 31), cutoff)
    assert figures.lessons_by_network([network_a.pk], window)[network_a.pk][0]["achievements"]["text"] == "Bản đầu"
