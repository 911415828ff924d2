"""Provincial staff take a candidate from proposal to member; the candidate applies through
her invitation link on a phone-sized screen."""

import pytest

from members.models import Consent, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _bulk(page, name: str, action: str, **fields: str) -> None:
    page.goto("/members/pipeline/")
    page.get_by_label(name).check()
    page.select_option("#id_action", action)
    for field, value in fields.items():
        page.fill(f"#id_{field}", value)
    page.click("#bulk button[type=submit]")
    page.wait_for_selector(".msg")


def test_staff_take_a_candidate_to_member_and_she_applies_on_her_phone(
    page, phone_page, browser_login, reference_data, staff_a, network_a
):
    browser_login(page, staff_a)

    # 1. The Standing Committee's proposal.
    page.goto(f"/members/propose/?network={network_a.pk}")
    page.fill("#id_full_name", "Hà Thị Minh")
    page.fill("#id_email", "minh@example.org")
    page.fill("#id_phone", "0912 345 678")
    page.click("#propose-form button[type=submit]")
    assert page.locator("#status").inner_text() == "Đề cử"

    # 2. Leadership approval, then 3. the invitation (bulk actions on the pipeline page).
    _bulk(page, "Hà Thị Minh", "approve", reference="Công văn 45-CV/TU")
    _bulk(page, "Hà Thị Minh", "invite")
    assert page.locator("#stage-counts [data-stage=invited]").inner_text() == "1"
    membership = Membership.objects.get(person__full_name="Hà Thị Minh")
    page.goto(f"/members/memberships/{membership.pk}/")
    link = page.locator("#invitation-link").get_attribute("href")

    # 4. She applies on her phone, in Vietnamese, without logging in.
    phone_page.goto(link)
    assert phone_page.locator("h1").inner_text() == "Đơn xin gia nhập"
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.fill("#id_year_of_birth", "1984")
    phone_page.select_option("#id_ethnicity", "Tày")
    phone_page.fill("#id_organisation", "Sở Khoa học và Công nghệ")
    phone_page.fill("#id_position", "Phó Giám đốc")
    phone_page.select_option("#id_category", "department")
    phone_page.click("#application-form button[type=submit]")
    assert "đồng ý" in phone_page.locator(".errorlist").first.inner_text()  # consent is required
    phone_page.check("#id_consent")
    phone_page.check("#id_sensitive_consent")  # her ethnic group is kept only with this one too
    phone_page.click("#application-form button[type=submit]")
    assert "Hội LHPN tỉnh sẽ thông báo" in phone_page.locator("#done").inner_text()
    phone_page.goto(link)
    assert "đã được dùng" in phone_page.locator("#reason").inner_text()

    # 5. Admission by decision.
    _bulk(page, "Hà Thị Minh", "admit", decision_number="QĐ 12/QĐ-HLHPN")
    page.goto(f"/members/memberships/{membership.pk}/")
    assert page.locator("#status").inner_text() == "Thành viên"
    membership.refresh_from_db()
    assert membership.status == Membership.Status.MEMBER
    assert str(membership.person.phone) == "+84912345678" and membership.person.ethnicity == "Tày"
    assert Consent.objects.filter(person=membership.person, source="online").count() == 1
