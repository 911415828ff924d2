"""The quarterly cycle in a browser: central staff open a quarter, a province submits,
central staff return it with a comment, the province resubmits, central staff accept;
the status page shows each step, and a province past its due date shows as late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quarterly_cycle_submit_return_resubmit_accept(
    chromium, live_server, browser_login, central_staff, staff_a, network_a, network_b
):
    def new_page():
        context = chromium.new_context(locale="vi-VN", base_url=live_server.url)
        pg = context.new_page()
        pg.set_default_timeout(20000)
        return pg

    central, province = new_page(), new_page()
    browser_login(central, central_staff)
    browser_login(province, staff_a)

    # Central staff open Q3 (already past due) and Q4 (due in ten days).
    today = timezone.localdate()
    central.goto("/reports/quarterly/")
    for quarter, due in (("3", today - timedelta(days=5)), ("4", today + timedelta(days=10))):
        form = central.locator("#quarter-open-form")
        form.locator("input[name=year]").fill(str(today.year))
        form.locator("select[name=quarter]").select_option(quarter)
        form.locator("input[name=due_on]").fill(due.strftime("%d/%m/%Y"))
        form.locator("button[type=submit]").click()
        central.wait_for_selector(".msg, .messages, #quarterly-list")
    late_b = central.locator(f"#quarterly-list tr[data-network='{network_b.name}']", has_text="Q3/")
    assert late_b.get_attribute("data-status") == "late"
    assert "Trễ hạn" in late_b.inner_text()

    # The province sees only its own rows and submits Q4.
    province.goto("/reports/quarterly/")
    assert network_b.name not in province.locator("#quarterly-list").inner_text()
    province.locator(f"#quarterly-list tr[data-network='{network_a.name}'] a", has_text="Q4").click()
    province.fill("textarea[name=narrative]", "Quý 4: hai lớp tập huấn, một hội thảo.")
    province.click("#quarter-submit-form button[type=submit]")
    province.wait_for_selector("#quarterly-status[data-status=submitted]")
    detail_url = province.url

    # Central staff return it with a comment.
    central.goto(detail_url)
    central.locator("select[name=decision]").select_option("return")
    central.fill("textarea[name=comment]", "Bổ sung số người dân tộc thiểu số tham gia.")
    central.click("#quarter-review-form button[type=submit]")
    central.wait_for_selector("#quarterly-status[data-status=returned]")

    # The province reads the comment and resubmits.
    province.goto(detail_url)
    assert "Bổ sung số người dân tộc thiểu số" in province.locator("#review-comment").inner_text()
    province.fill("textarea[name=narrative]", "Quý 4: đã bổ sung số người dân tộc thiểu số (6 người).")
    province.click("#quarter-submit-form button[type=submit]")
    province.wait_for_selector("#quarterly-status[data-status=submitted]")

    # Central staff accept; the steps and the status page show it.
    central.goto(detail_url)
    central.locator("select[name=decision]").select_option("accept")
    central.click("#quarter-review-form button[type=submit]")
    central.wait_for_selector("#quarterly-status[data-status=accepted]")
    steps = [row.get_attribute("data-status") for row in central.locator("#quarterly-steps tbody tr").all()]
    assert steps == ["due", "submitted", "returned", "submitted", "accepted"]
    central.goto("/reports/quarterly/")
    rows = central.locator(f"#quarterly-list tr[data-network='{network_a.name}']")
    assert sorted(r.get_attribute("data-status") for r in rows.all()) == ["accepted", "late"]
