"""Staff pages that replace the admin for provincial work: board terms, founding
decision and charter, annual plans with activities linked to events and needs."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from networks.models import ActivityPlan, BoardTerm, Network, PlannedActivity
from networks.services import SeatSpec, board_term_create
from tests.factories import EventFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def board_people(network_a):
    return [
        MembershipFactory(network=network_a, person__full_name=n).person for n in ("Chủ Nhiệm", "Phó Một", "Ủy Viên")
    ]


def _term_post(starts_on, seats):
    data = {
        "starts_on": starts_on,
        "how_elected": "Bầu tại hội nghị",
        "seats-TOTAL_FORMS": "8",
        "seats-INITIAL_FORMS": "0",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "30",
    }
    for i in range(8):
        data[f"seats-{i}-role"] = "member"
    for i, (person, role) in enumerate(seats):
        data[f"seats-{i}-person"] = str(person.pk)
        data[f"seats-{i}-role"] = role
    return data


def test_staff_record_a_new_term_with_a_vietnamese_date_and_the_old_one_closes(
    client_for, staff_a, network_a, board_people
):
    chair, vice, member = board_people
    board_term_create(network=network_a, starts_on=D(2022, 11, 20), seats=[SeatSpec(chair.pk, "chair")])
    client = client_for(staff_a)
    url = reverse("networks:board_term_new", args=[network_a.pk])
    response = client.post(url, _term_post("23/11/2026", [(vice, "chair"), (chair, "vice_chair"), (member, "member")]))
    assert response.status_code == 302
    old, new = BoardTerm.objects.order_by("starts_on")
    assert new.starts_on == D(2026, 11, 23)  # 23/11/2026 read day first
    assert old.ends_on == D(2026, 11, 22)
    page = client.get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert page.count('class="seat-chair"') == 2  # one per term: the old term is closed, not a second chair now
    assert page.count("current-term") == 1


def test_three_april_is_the_third_of_april(client_for, staff_a, network_a, board_people):
    client_for(staff_a).post(
        reverse("networks:board_term_new", args=[network_a.pk]), _term_post("03/04/2026", [(board_people[0], "chair")])
    )
    assert BoardTerm.objects.get().starts_on == D(2026, 4, 3)


def test_two_chairs_or_no_chair_is_refused_and_nothing_saved(client_for, staff_a, network_a, board_people):
    client = client_for(staff_a)
    url = reverse("networks:board_term_new", args=[network_a.pk])
    for seats in ([(board_people[0], "chair"), (board_people[1], "chair")], [(board_people[0], "vice_chair")]):
        response = client.post(url, _term_post("01/01/2026", seats))
        assert response.status_code == 200
        assert "đúng một Chủ nhiệm" in response.content.decode()
    assert not BoardTerm.objects.exists()


def test_the_seat_picker_offers_members_only(client_for, staff_a, network_a, board_people):
    candidate = MembershipFactory(network=network_a, status="candidate", person__full_name="Ứng Viên Chưa Duyệt").person
    response = client_for(staff_a).get(reverse("networks:board_term_new", args=[network_a.pk]))
    page = response.content.decode()
    assert board_people[0].full_name in page
    assert candidate.full_name not in page
    response = client_for(staff_a).post(
        reverse("networks:board_term_new", args=[network_a.pk]),
        _term_post("01/01/2026", [(board_people[0], "chair"), (candidate, "member")]),
    )
    assert response.status_code == 200 and not BoardTerm.objects.exists()


def test_warning_when_the_union_chair_is_neither_chair_nor_vice_chair(client_for, staff_a, network_a, board_people):
    chair, vice, member = board_people
    Network.objects.filter(pk=network_a.pk).update(union_chair=member)
    board_term_create(
        network=network_a, starts_on=D(2026, 1, 1), seats=[SeatSpec(chair.pk, "chair"), SeatSpec(member.pk, "member")]
    )
    page = client_for(staff_a).get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert 'id="union-chair-warning"' in page
    Network.objects.filter(pk=network_a.pk).update(union_chair=chair)
    page = client_for(staff_a).get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert 'id="union-chair-warning"' not in page


def test_founding_decision_and_charter_draft_then_adopted(client_for, staff_a, network_a, board_people):
    client = client_for(staff_a)
    url = reverse("networks:founding", args=[network_a.pk])
    base = {
        "status": "active",
        "decision_state": "adopted",
        "charter_state": "draft",
        "union_chair": board_people[0].pk,
    }
    response = client.post(url, base)
    assert response.status_code == 200
    assert "cần có số và ngày" in response.content.decode()
    network_a.refresh_from_db()
    assert network_a.decision_state == "draft"
    response = client.post(
        url,
        {
            **base,
            "decision_number": "15/QĐ-HLHPN",
            "decision_date": "03/04/2022",
            "charter_state": "adopted",
            "charter_adopted_on": "20/11/2022",
        },
    )
    assert response.status_code == 302
    network_a.refresh_from_db()
    assert network_a.decision_date == D(2022, 4, 3)
    assert network_a.decision_state == "adopted" and network_a.charter_state == "adopted"
    assert network_a.union_chair == board_people[0]


def test_annual_plan_activities_link_events_and_needs(client_for, staff_a, network_a):
    client = client_for(staff_a)
    response = client.post(reverse("networks:plan_new", args=[network_a.pk]), {"year": 2026})
    plan = ActivityPlan.objects.get()
    assert response.url == reverse("networks:plan", args=[plan.pk])
    client.post(
        reverse("networks:plan", args=[plan.pk]),
        {"title": "Tập huấn kỹ năng số", "planned_for": "Quý 2", "target": "40", "need": "Kỹ năng chuyển đổi số"},
    )
    activity = PlannedActivity.objects.get()
    event = EventFactory(networks=[network_a], title="Lớp kỹ năng số tháng 5")
    event.planned_activities.add(activity)
    page = client.get(reverse("networks:plan", args=[plan.pk])).content.decode()
    assert "Kỹ năng chuyển đổi số" in page and "Lớp kỹ năng số tháng 5" in page
    event_page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Tập huấn kỹ năng số" in event_page


def test_event_form_links_the_planned_activity(client_for, staff_a, network_a):
    plan = ActivityPlan.objects.create(network=network_a, year=2026)
    activity = PlannedActivity.objects.create(plan=plan, title="Hội thảo chuyên đề", need="Giao tiếp ngoại giao")
    response = client_for(staff_a).post(
        reverse("events:create"),
        {
            "title": "Hội thảo giao tiếp",
            "kind": "workshop",
            "networks": [network_a.pk],
            "starts_at": "2026-12-01T08:00",
            "ends_at": "2026-12-01T12:00",
            "duration_days": "0.5",
            "mode": "in_person",
            "venue": "Hội trường",
            "status": "planned",
            "planned_activities": [activity.pk],
        },
    )
    assert response.status_code == 302
    assert list(activity.events.values_list("title", flat=True)) == ["Hội thảo giao tiếp"]


@pytest.mark.parametrize("name", ["founding", "board_term_new", "plan_new"])
def test_staff_pages_are_404_for_other_province_and_for_non_staff(
    name, client_for, staff_b, board_member_a, member_a, network_a
):
    url = reverse(f"networks:{name}", args=[network_a.pk])
    for user in (staff_b, board_member_a, member_a):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"year": 2030, "status": "dormant"}).status_code == 404
    network_a.refresh_from_db()
    assert network_a.status == "active" and not ActivityPlan.objects.exists()


def test_plan_page_is_404_for_other_province(client_for, staff_b, network_a):
    plan = ActivityPlan.objects.create(network=network_a, year=2026)
    assert client_for(staff_b).get(reverse("networks:plan", args=[plan.pk])).status_code == 404
    assert client_for(staff_b).post(reverse("networks:plan", args=[plan.pk]), {"title": "x"}).status_code == 404
    assert not PlannedActivity.objects.exists()


def test_union_chair_must_be_of_the_province(client_for, staff_a, network_a, province_b):
    outsider = PersonFactory(province=province_b)
    response = client_for(staff_a).post(
        reverse("networks:founding", args=[network_a.pk]),
        {"status": "active", "decision_state": "draft", "charter_state": "draft", "union_chair": outsider.pk},
    )
    assert response.status_code == 200
    network_a.refresh_from_db()
    assert network_a.union_chair is None


def test_english_board_and_plan_texts_are_saved_from_the_staff_pages_and_printed_in_english(
    client_for, staff_a, network_a, board_people
):
    """Issue 12: the staff forms carry the English fields; the English reports print them."""
    from reports.services import report_generate
    from tests.reports.factories import make_report
    from tests.reports.test_generation import pdf_text

    chair, vice, _ = board_people
    client = client_for(staff_a)
    data = _term_post("01/02/2026", [(chair, "chair"), (vice, "vice_chair")])
    data.update(
        {
            "how_elected_en": "Elected at the founding conference",
            "seats-0-tasks": "Điều hành chung",
            "seats-0-tasks_en": "Overall coordination",
        }
    )
    response = client.post(reverse("networks:board_term_new", args=[network_a.pk]), data)
    assert response.status_code == 302
    term = BoardTerm.objects.get()
    assert term.how_elected_en == "Elected at the founding conference"
    seat = term.seats.get(person=chair)
    assert (seat.tasks, seat.tasks_en) == ("Điều hành chung", "Overall coordination")
    plan = ActivityPlan.objects.create(network=network_a, year=2026)
    client.post(
        reverse("networks:plan", args=[plan.pk]),
        {"title": "Tập huấn kỹ năng số", "title_en": "Digital skills training", "planned_for": "Quý 2"},
    )
    assert PlannedActivity.objects.get().title_en == "Digital skills training"
    page = client.get(reverse("networks:plan", args=[plan.pk])).content.decode()
    assert "Digital skills training" in page

    donor = pdf_text(bytes(report_generate(report_id=make_report([network_a], kind="donor", language="en").pk).pdf))
    assert "Elected at the founding conference" in donor and "Digital skills training" in donor
    provincial = pdf_text(bytes(report_generate(report_id=make_report([network_a], language="en").pk).pdf))
    assert "Overall coordination" in provincial
