"""Browser path: staff create a training, invite the network's members and two guests,
check attendees in on a phone, and the event page shows the attendance rate and
participant-days."""

from __future__ import annotations

import re

import pytest

from events.models import Event, Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_run_a_training_from_creation_to_phone_check_in(
    page, phone_page, browser_login, reference_data, staff_a, network_a, members_a
):
    browser_login(page, staff_a)
    page.goto("/events/new/")
    page.fill("#id_title", "Tập huấn kỹ năng lãnh đạo")
    page.select_option("#id_kind", "training")
    page.get_by_label("Mạng lưới tỉnh A").check()
    page.fill("#id_starts_at", "2027-03-10T08:00")
    page.fill("#id_ends_at", "2027-03-10T17:00")
    page.fill("#id_duration_days", "1")
    page.select_option("#id_mode", "in_person")
    page.fill("#id_venue", "Hội trường Hội LHPN tỉnh")
    page.click("#event-form button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/$"))
    event = Event.objects.get(title="Tập huấn kỹ năng lãnh đạo")

    page.click("#invite-members")
    page.wait_for_selector("text=Đã mời 3 thành viên.")
    for guest in ("Đinh Thị Khách Một", "Lò Thị Khách Hai"):
        page.fill("#id_guest-full_name", guest)
        page.fill("#id_guest-organisation", "Hội LHPN xã")
        page.click("#guest-form button[type=submit]")
        page.wait_for_selector(f"text=Đã mời {guest} với tư cách khách mời.")
    assert page.locator("#invitations tbody tr").count() == 5

    browser_login(phone_page, staff_a)
    phone_page.goto(f"/events/{event.pk}/check-in/")
    to_check_in = [members_a[0], members_a[1]] + [
        i.person for i in Invitation.objects.filter(event=event, is_member=False, person__full_name="Lò Thị Khách Hai")
    ]
    for person in to_check_in:
        row = phone_page.locator(f"#person-{person.pk}")
        row.get_by_role("button", name="Điểm danh").click()
        phone_page.wait_for_selector(f"#person-{person.pk} .present")
    # The button fits the phone screen.
    box = phone_page.locator("#checkin-list button").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    assert "3 có mặt, 5 được mời" in phone_page.locator("#checkin-count").inner_text()

    page.goto(f"/events/{event.pk}/")
    assert page.locator("#fig-rate").inner_text() == "60%"
    assert page.locator("#fig-participant-days").inner_text() == "3"
    assert "2 thành viên, 1 khách mời" in page.locator("#fig-attended").inner_text()
