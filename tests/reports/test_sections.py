"""The report's sections that read other apps: boards, representation, attendance, media,
speakers. Figures must equal the selectors behind the dashboards and event pages, and the
donor report must name nobody but trainers and guest speakers."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from events.models import Attendance, Event, Invitation, MediaCoverage, Speaker
from events.selectors import event_attendance_figures
from members.selectors import representation_for
from networks.models import Network
from networks.services import SeatSpec, board_term_create
from reports import figures
from reports.documents import report_content
from reports.services import report_generate
from tests.factories import EventFactory, MembershipFactory, PersonFactory
from tests.reports.factories import make_report, period_of
from tests.reports.test_generation import pdf_text

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 12, 31)
CHAIR_A = "Trần Thị Chủ Nhiệm"
VICE_A = "Lê Thị Phó Chủ Nhiệm"
MEMBER_A = "Phạm Thị Thành Viên"
GUEST = "Đỗ Thị Khách Mời Dự"
MEMBER_B = "Vũ Thị Tỉnh Bê"
TRAINER = "Nguyễn Văn Giảng"
GUEST_SPEAKER = "Hoàng Thị Truyền Cảm"
PRESENTER = "Bùi Thị Báo Cáo"
PERSONAL_NAMES = [CHAIR_A, VICE_A, MEMBER_A, GUEST, MEMBER_B, PRESENTER]


def _attend(event: Event, person, *, is_member: bool, invited: bool = True, status: str = "accepted") -> None:  # noqa: ANN001
    invitation = (
        Invitation.objects.create(event=event, person=person, is_member=is_member, status=status) if invited else None
    )
    Attendance.objects.create(
        event=event,
        person=person,
        invitation=invitation,
        is_member=is_member,
        method=Attendance.Method.STAFF if invited else Attendance.Method.WALK_IN,
        checked_in_at=event.starts_at,
    )


@pytest.fixture
def activity(network_a, network_b, reference_data):
    """Network A with a board, a training (members, a guest, a walk-in, a no-show, a
    decline, half a day), an inspirational workshop shared with B, speakers and media."""
    commune_a = network_a.province.communes.order_by("code").first()
    chair = MembershipFactory(network=network_a, person__full_name=CHAIR_A, person__commune=commune_a).person
    vice = MembershipFactory(
        network=network_a, person__full_name=VICE_A, person__ethnicity="Tày", person__year_of_birth=1960
    ).person
    member = MembershipFactory(
        network=network_a, person__full_name=MEMBER_A, person__ethnicity="", person__year_of_birth=None
    ).person
    absent = MembershipFactory(network=network_a, person__category="").person
    member_b = MembershipFactory(network=network_b, person__full_name=MEMBER_B, person__ethnicity="Thái").person
    guest = PersonFactory(full_name=GUEST, province=network_a.province)
    board_term_create(
        network=network_a,
        starts_on=date(2025, 3, 1),
        seats=[
            SeatSpec(person_id=chair.pk, role="chair", tasks="Điều hành chung"),
            SeatSpec(person_id=vice.pk, role="vice_chair"),
            SeatSpec(person_id=member.pk, role="member"),
        ],
    )
    training = EventFactory(
        networks=[network_a],
        title="Tập huấn kỹ năng lãnh đạo",
        kind="training",
        status="held",
        starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC),
        ends_at=datetime(2026, 3, 2, 5, tzinfo=UTC),
        duration_days=Decimal("0.5"),
    )
    _attend(training, chair, is_member=True)
    _attend(training, vice, is_member=True, status="invited")
    _attend(training, guest, is_member=False)
    _attend(training, member, is_member=True, invited=False)  # walk-in
    Invitation.objects.create(event=training, person=absent, is_member=True, status="accepted")  # no-show
    Invitation.objects.create(event=training, person=member_b, is_member=False, status="declined")
    workshop = EventFactory(
        networks=[network_a, network_b],
        title="Hội thảo truyền cảm hứng",
        kind="workshop",
        status="held",
        starts_at=datetime(2026, 6, 5, 1, tzinfo=UTC),
        ends_at=datetime(2026, 6, 5, 9, tzinfo=UTC),
    )
    _attend(workshop, chair, is_member=True)
    _attend(workshop, member_b, is_member=True)
    trainer = Speaker.objects.create(kind="trainer", full_name=TRAINER, title="TS.", organisation="Học viện Phụ nữ")
    speaker = Speaker.objects.create(kind="guest_speaker", full_name=GUEST_SPEAKER, organisation="Doanh nghiệp X")
    presenter = Speaker.objects.create(kind="presenter", full_name=PRESENTER)
    training.speakers.set([trainer, presenter])
    workshop.speakers.set([speaker, trainer])
    MediaCoverage.objects.create(
        event=training,
        outlet="Báo Phụ nữ Việt Nam",
        published_on=date(2026, 3, 3),
        title="Nữ lãnh đạo tự tin hội nhập",
        url="https://phunuvietnam.vn/bai-viet-1",
    )
    return network_a, network_b, training, workshop


def test_attendance_figures_equal_the_event_pages(activity):
    _, _, training, workshop = activity
    bulk = figures.attendance_by_event([training, workshop])
    for event in (training, workshop):
        assert bulk[event.pk] == event_attendance_figures(event)
    assert bulk[training.pk].attended_guests == 1 and bulk[training.pk].participant_days == Decimal("2.0")


def test_summary_attendance_sums_the_event_pages(activity):
    network_a, network_b, training, workshop = activity
    summary = figures.summary(period_of([network_a.pk, network_b.pk]))
    pages = [event_attendance_figures(e) for e in (training, workshop)]
    assert summary["attended"] == sum(f.attended for f in pages) == 6
    assert summary["attended_members"] == sum(f.attended_members for f in pages) == 5
    assert summary["attended_guests"] == sum(f.attended_guests for f in pages) == 1
    assert summary["participant_days"] == sum(f.participant_days for f in pages) == 4  # the shared event once


def test_summary_people_figures_equal_the_members_dashboard(activity):
    network_a, network_b, _, _ = activity
    summary = figures.summary(period_of([network_a.pk, network_b.pk]))
    dashboard = representation_for(Network.objects.filter(pk__in=[network_a.pk, network_b.pk]))
    assert summary["members"] == dashboard["total"] == 5
    # Two ethnic-minority members: a group below 5, shown as "<5" with no share (issue 11).
    assert summary["ethnic_minority_members"] == dashboard["ethnic_minority"] == "<5"
    assert summary["communes_covered"] == dashboard["communes_covered"] == 1
    assert summary["communes_in_provinces"] == dashboard["communes_in_provinces"]
    assert summary["ethnic_minority_share"] is None


def test_members_per_network_equal_the_members_dashboard_for_that_network(activity):
    network_a, network_b, _, _ = activity
    per_network = figures.members_by_network(period_of([network_a.pk, network_b.pk]))
    for network in (network_a, network_b):
        dashboard = representation_for(Network.objects.filter(pk=network.pk))
        section = per_network[network.pk]
        assert [(c["category"], c["count"]) for c in section["categories"]] == [
            (code, n) for code, _, n in dashboard["by_category"]
        ]
        assert [(e["label"], e["count"]) for e in section["ethnicities"]] == dashboard["by_ethnicity"]
        assert section["ethnicity_unknown"] == dashboard["ethnicity_unknown"]
        assert [(a["label"], a["count"]) for a in section["age_bands"][:4]] == dashboard["by_age_band"][:4]
    assert per_network[network_a.pk]["category_unknown"] == "<5"  # one: a small group (issue 11)
    assert per_network[network_a.pk]["age_bands"][-1]["count"] == "<5"  # one without birth year


def test_board_section_gives_roles_without_names_unless_asked(activity):
    network_a, network_b, _, _ = activity
    donor = figures.boards([network_a.pk, network_b.pk], on=END, with_names=False)
    assert donor[network_b.pk] is None
    assert [(r["role"], r["count"]) for r in donor[network_a.pk]["roles"]] == [
        ("chair", 1),
        ("vice_chair", 1),
        ("member", 1),
    ]
    assert donor[network_a.pk]["holders"] == [] and donor[network_a.pk]["seats"] == 3
    provincial = figures.boards([network_a.pk], on=END, with_names=True)
    assert [h["full_name"] for h in provincial[network_a.pk]["holders"]] == [CHAIR_A, VICE_A, MEMBER_A]
    assert figures.boards([network_a.pk], on=date(2025, 1, 1), with_names=False)[network_a.pk] is None


def test_events_media_and_speakers_per_network(activity):
    network_a, network_b, _, _ = activity
    events = figures.events_by_network(period_of([network_a.pk, network_b.pk]))
    training = events[network_a.pk][0]
    assert (training["invited"], training["attended"], training["attended_members"]) == (5, 4, 3)
    assert training["attended_guests"] == 1 and training["participant_days"] == 2
    assert training["attendance_rate"] == 75.0  # chair, vice-chair and guest of 4 expected (not the decline)
    assert [e["shared"] for e in events[network_a.pk]] == [False, True]
    assert [e["title"]["text"] for e in events[network_b.pk]] == ["Hội thảo truyền cảm hứng"]
    media = figures.media_by_network(period_of([network_a.pk, network_b.pk]))
    assert [m["outlet"] for m in media[network_a.pk]] == ["Báo Phụ nữ Việt Nam"] and media[network_b.pk] == []
    speakers = figures.speakers_by_network(period_of([network_a.pk, network_b.pk]))
    assert [s["full_name"] for s in speakers[network_a.pk]] == [f"{GUEST_SPEAKER}", f"TS. {TRAINER}"]
    assert speakers[network_a.pk][1]["events"] == ["Tập huấn kỹ năng lãnh đạo", "Hội thảo truyền cảm hứng"]
    assert [s["full_name"] for s in speakers[network_b.pk]] == [GUEST_SPEAKER, f"TS. {TRAINER}"]


def test_donor_report_names_speakers_and_nobody_else(activity):
    network_a, network_b, _, _ = activity
    report = report_generate(report_id=make_report([network_a, network_b], kind="donor", language="vi").pk)
    text = pdf_text(bytes(report.pdf))
    for name in PERSONAL_NAMES:
        assert name not in text
    assert TRAINER in text and GUEST_SPEAKER in text
    assert "Ban Chủ nhiệm" in text or "Chủ nhiệm" in text
    assert "Báo Phụ nữ Việt Nam" in text and "https://phunuvietnam.vn/bai-viet-1" in text
    assert report.figures["participant_days"] == 4 and report.figures["attended_guests"] == 1
    cells = {
        c
        for sheet in load_workbook(io.BytesIO(bytes(report.xlsx)))
        for row in sheet.iter_rows(values_only=True)
        for c in row
    }
    for name in PERSONAL_NAMES:
        assert not any(isinstance(c, str) and name in c for c in cells)
    assert f"TS. {TRAINER}" in cells and "https://phunuvietnam.vn/bai-viet-1" in cells


def test_provincial_report_lists_members_and_board_holders(activity):
    network_a, _, _, _ = activity
    report = report_generate(report_id=make_report([network_a], language="en").pk)
    text = pdf_text(bytes(report.pdf))
    for name in (CHAIR_A, VICE_A, MEMBER_A, TRAINER):
        assert name in text
    assert "Điều hành chung" in text  # the chair's tasks
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    board = list(workbook["Board"].iter_rows(values_only=True))
    assert board[1][3:6] == ("Chair", 1, CHAIR_A)


def test_report_content_query_count_does_not_grow_with_networks_or_events(activity, network_b):
    network_a, network_b, _, _ = activity
    small = make_report([network_a], kind="donor")
    with CaptureQueriesContext(connection) as few:
        report_content(small)
    for i in range(3):
        extra = Network.objects.create(province=network_b.province, name=f"Mạng lưới thêm {i}")
        MembershipFactory.create_batch(2, network=extra)
        for j in range(2):
            event = EventFactory(status="held", networks=[extra], starts_at=datetime(2026, 4, 1 + j, 1, tzinfo=UTC))
            _attend(event, PersonFactory(), is_member=False)
            event.speakers.add(Speaker.objects.create(full_name=f"Giảng viên {i}-{j}"))
            MediaCoverage.objects.create(
                event=event, outlet="Báo", published_on=date(2026, 4, 2), title="Tin", url="https://example.org/"
            )
    large = make_report(list(Network.objects.all()), kind="donor")
    with CaptureQueriesContext(connection) as many:
        report_content(large)
    assert len(many.captured_queries) == len(few.captured_queries)
