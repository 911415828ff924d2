import pytest

from tests.factories import NetworkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_provincial_staff_logs_in_in_vietnamese_and_sees_only_her_province(
    page, browser_login, staff_a, network_a, province_b
):
    NetworkFactory(province=province_b, name="Mạng lưới Nghệ An (khác tỉnh)")

    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Đăng nhập"

    browser_login(page, staff_a)
    page.goto("/networks/")

    rows = page.locator("#network-list tbody tr")
    assert rows.count() == 1
    assert "Mạng lưới tỉnh A" in rows.first.inner_text()
    assert "Nghệ An (khác tỉnh)" not in page.content()
