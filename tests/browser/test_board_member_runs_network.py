"""Browser paths of issue 14: a board member runs her network (and only it); staff open a
new board term; every role's home page lists the right things to do after the demo."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from events.models import Attendance, Event, Invitation
from networks.models import BoardTerm, Task
from networks.services import SeatSpec, board_term_create
from tests.factories import EventFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csrf_post(pg, url: str, data: dict) -> int:
    """POST through the browser's own session and CSRF cookie; returns the status."""
    token = next(c["value"] for c in pg.context.cookies() if c["name"] == "csrftoken")
    return pg.request.post(url, form=data, headers={"X-CSRFToken": token}).status


def test_board_member_runs_her_network_and_only_it(
    page, phone_page, browser_login, reference_data, board_member_a, network_a, network_b
):
    members = [MembershipFactory(network=network_a, person__full_name=n).person for n in ("Lê Thị Hoa", "Phạm Thu Hà")]
    other_event = EventFactory(networks=[network_b], title="Sự kiện của tỉnh B")
    browser_login(page, board_member_a)

    # Her home page leads to her network's work.
    page.goto("/")
    page.click("#board-links >> text=Sự kiện mới")
    page.fill("#id_title", "Sinh hoạt chuyên đề tháng 12")
    page.select_option("#id_kind", "workshop")
    assert page.get_by_label("Mạng lưới tỉnh A").is_checked()
    assert page.get_by_label("Mạng lưới tỉnh B").count() == 0
    page.fill("#id_starts_at", "05/12/2026 08:00")
    page.fill("#id_ends_at", "05/12/2026 11:30")
    page.fill("#id_duration_days", "0.5")
    page.select_option("#id_mode", "in_person")
    page.fill("#id_venue", "Hội trường Sở Ngoại vụ")
    page.click("#event-form button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/$"))
    event = Event.objects.get(title="Sinh hoạt chuyên đề tháng 12")

    page.click("#invite-members")
    page.wait_for_selector("text=Đã mời 2 thành viên.")

    # Two check-ins on her phone.
    browser_login(phone_page, board_member_a)
    phone_page.goto(f"/events/{event.pk}/check-in/")
    for person in members:
        phone_page.locator(f"#person-{person.pk}").get_by_role("button", name="Điểm danh", exact=True).click()
        phone_page.wait_for_selector(f"#person-{person.pk} .present")
    assert "2 có mặt, 2 được mời" in phone_page.locator("#checkin-count").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Attendance.objects.filter(event=event).count() == 2

    # The sign-in sheet.
    page.goto(f"/events/{event.pk}/")
    with page.expect_download() as download:
        page.click("text=Danh sách ký tên (PDF)")
    assert download.value.suggested_filename == f"sign-in-{event.pk}.pdf"

    # A task with a deadline.
    page.goto(f"/networks/{network_a.pk}/tasks/")
    page.fill("#id_title", "Viết tin bài về buổi sinh hoạt")
    page.select_option("#id_assignee", label=f"{members[0].full_name} — {members[0].organisation}")
    page.fill("#id_deadline", "10/12/2026")
    page.click("#task-form button[type=submit]")
    page.wait_for_selector("text=Đã giao nhiệm vụ cho Lê Thị Hoa.")
    assert "10/12/2026" in page.locator("#tasks").inner_text()
    task = Task.objects.get()
    assert task.deadline.isoformat() == "2026-12-10"

    # Another network's pages do not exist for her, and no POST reaches them.
    for url in (
        f"/networks/{network_b.pk}/tasks/",
        f"/networks/{network_b.pk}/announce/",
        f"/events/{other_event.pk}/",
        f"/events/{other_event.pk}/check-in/",
        f"/events/{other_event.pk}/sign-in-sheet.pdf",
    ):
        assert page.goto(url).status == 404, url
    for url, data in (
        (f"/events/{other_event.pk}/invite-members/", {}),
        (f"/events/{other_event.pk}/check-in/person/", {"person": str(members[0].pk)}),
        (f"/networks/{network_b.pk}/tasks/", {"title": "x", "assignee": str(members[0].pk), "deadline": "01/01/2027"}),
        (f"/networks/{network_b.pk}/announce/", {"subject": "x", "message": "x", "channels": "email"}),
        (f"/networks/{network_b.pk}/board/new/", {"starts_on": "01/01/2027"}),
    ):
        assert _csrf_post(page, url, data) == 404, url
    assert not Invitation.objects.filter(event=other_event).exists()
    assert Task.objects.count() == 1


def test_staff_open_a_new_board_term_and_the_network_shows_one_chair(
    page, browser_login, reference_data, staff_a, network_a
):
    people = [
        MembershipFactory(network=network_a, person__full_name=n).person
        for n in ("Chủ Nhiệm Cũ", "Chủ Nhiệm Mới", "Phó Mới")
    ]
    board_term_create(
        network=network_a, starts_on=timezone.datetime(2022, 11, 20).date(), seats=[SeatSpec(people[0].pk, "chair")]
    )
    browser_login(page, staff_a)
    page.goto(f"/networks/{network_a.pk}/")
    page.click("#staff-links >> text=Nhiệm kỳ Ban Chủ nhiệm mới")
    page.fill("#id_starts_on", "23/11/2026")
    page.fill("#id_how_elected", "Bầu tại hội nghị thành viên")
    page.select_option("#id_seats-0-person", label=f"{people[1].full_name} — {people[1].organisation}")
    page.select_option("#id_seats-0-role", "chair")
    page.select_option("#id_seats-1-person", label=f"{people[2].full_name} — {people[2].organisation}")
    page.select_option("#id_seats-1-role", "vice_chair")
    # Only members are offered.
    assert page.locator("#id_seats-0-person option").count() == 1 + 3
    page.click("#board-term-form button[type=submit]")
    page.wait_for_selector("text=Đã ghi nhận nhiệm kỳ Ban Chủ nhiệm mới.")
    assert page.locator(".current-term").count() == 1
    assert page.locator(".current-term .seat-chair").count() == 1
    assert "Chủ Nhiệm Mới" in page.locator(".current-term .seat-chair").inner_text()
    assert "22/11/2026" in page.locator(".past-term h3").inner_text()
    old = BoardTerm.objects.order_by("starts_on").first()
    assert old.ends_on.isoformat() == "2026-11-22"


def _demo_login(pg, email):
    from portal.demo import DEMO_PASSWORD

    pg.context.clear_cookies()
    pg.goto("/accounts/login/")
    pg.fill("#id_login", email)
    pg.fill("#id_password", DEMO_PASSWORD)
    pg.click("#login-form button[type=submit]")
    pg.wait_for_url(lambda url: "/accounts/login" not in url)
    pg.goto("/")


def _count(pg, key):
    return int(pg.locator(f"#todo-{key}").get_attribute("data-count"))


def test_each_role_home_lists_the_right_items_after_the_demo_and_an_action_clears_one(page, reference_data):
    from django.core.management import call_command

    call_command("load_demo")

    # Provincial staff (Hưng Yên): one application, a meeting this week, tasks due.
    _demo_login(page, "hungyen@demo.vn")
    assert _count(page, "applications") == 1
    assert _count(page, "events_week") == 1 and "Họp Ban Chủ nhiệm và thành viên" in page.inner_text(
        "#todo-events_week"
    )
    assert _count(page, "tasks") >= 1
    assert _count(page, "surveys") >= 1
    assert "Nghệ An" not in page.inner_text("#todo-applications")
    # She admits the applicant from the link: the item leaves her list.
    page.click("#todo-applications li a")
    page.fill("#step-admit [name=decision_number]", "12/QĐ-HLHPN")
    page.click("#step-admit button")
    page.wait_for_selector("text=Đã đổi trạng thái.")
    page.goto("/")
    assert _count(page, "applications") == 0

    # Board member (Nghệ An): her network's application, meeting, tasks; the removal request is staff's.
    _demo_login(page, "banchunhiem@demo.vn")
    assert _count(page, "applications") == 1
    assert _count(page, "events_week") == 1
    assert _count(page, "tasks") >= 1
    assert page.locator("#todo-removals").count() == 0

    # Member (Thái Bình): the open surveys, the meeting, her task; she marks the task done.
    _demo_login(page, "thanhvien@demo.vn")
    assert _count(page, "events") >= 1 and "Họp Ban Chủ nhiệm và thành viên" in page.inner_text("#todo-events")
    assert _count(page, "my_tasks") == 1
    page.click("#todo-my_tasks li a")
    page.select_option("#id_status", "done")
    page.click("#task-edit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert _count(page, "my_tasks") == 0

    # Donor viewer: latest reports and counts only, no names.
    _demo_login(page, "nhataitro@demo.vn")
    assert page.locator("#todo-reports").count() == 1
    assert page.locator("#donor-dashboard tbody tr").count() == 3
    assert "Lê Thị Demo" not in page.content()
