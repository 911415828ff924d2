"""Central staff request the donor report for the three demo networks in a browser,
watch it finish, download the PDF and find the figures the pages show."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from portal.demo import load_demo


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_central_staff_request_and_download_the_donor_report(page, browser_login, central_staff, reference_data):
    load_demo()
    browser_login(page, central_staff)

    # The figures the networks dashboard shows.
    page.goto("/networks/")
    shown = {}
    for row in page.locator("#network-list tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        shown[cells[0].strip()] = int(cells[4])
    assert len(shown) == 3

    page.goto("/reports/")
    form = page.locator("#report-request-form")
    form.locator("select[name=kind]").select_option("donor")
    for name in shown:
        form.get_by_label(name).check()
    form.locator("input[name=period_start]").fill("2020-01-01")
    form.locator("input[name=period_end]").fill("2030-12-31")
    form.locator("button[type=submit]").first.click()

    page.wait_for_selector("#report-status[data-status=done]", timeout=60000)
    summary = {
        cell.get_attribute("data-figure"): int(cell.inner_text())
        for cell in page.locator("#report-figures td[data-figure]").all()
    }
    assert summary["networks"] == 3 and summary["members"] == sum(shown.values())
    # People attending: the sum of what the event pages show.
    from events.models import Event
    from events.selectors import event_attendance_figures

    pages = [event_attendance_figures(e) for e in Event.objects.exclude(status=Event.Status.CANCELLED)]
    assert summary["attended"] == sum(f.attended for f in pages)
    assert summary["attended_guests"] == sum(f.attended_guests for f in pages)

    with page.expect_download() as download:
        page.click("#download-pdf")
    pdf = open(download.value.path(), "rb").read()  # noqa: PTH123, SIM115
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())

    assert f"Mạng lưới {summary['networks']}" in text
    assert f"Thành viên {summary['members']}" in text
    assert f"Sự kiện {summary['events']}" in text
    assert f"Số xã/phường có thành viên {summary['communes_covered']}" in text
    assert f"Số lượt người tham dự sự kiện {summary['attended']}" in text
    for name, members in shown.items():
        chapter = re.search(re.escape(name) + r" Tỉnh/thành phố .*? Thành viên (\d+)", text)
        assert chapter, f"no chapter for {name}"
        assert int(chapter.group(1)) == members
