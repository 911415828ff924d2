"""Central staff request the English donor report of the demo agreement in a browser:
the results table with targets and actuals, no future event among the delivered ones,
English lessons where they exist and a visible "not translated" mark where not; the
Vietnamese report prints dd/mm/yyyy dates. Read with ``pdftotext`` as a reader would."""

from __future__ import annotations

import re
import subprocess

import pytest

from events.demo import load_events_demo
from portal.demo import load_demo
from reports.demo import DEMO_AGREEMENT, load_reports_demo


def _pdftotext(path: str) -> str:
    return subprocess.run(["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def _request(page, networks: list[str], language: str, agreement: int, *, check_first: bool = False) -> str:  # noqa: ANN001
    page.goto("/reports/")
    form = page.locator("#report-request-form")
    form.locator("select[name=kind]").select_option("donor")
    for name in networks:
        form.get_by_label(name).check()
    form.locator("input[name=period_start]").fill("01/01/2026")
    form.locator("input[name=period_end]").fill("31/12/2026")
    form.locator("select[name=agreement]").select_option(str(agreement))
    form.locator("select[name=language]").select_option(language)
    if check_first:
        form.locator("#check-translations").click()
        page.wait_for_selector("#missing-translations")
        return page.locator("#missing-translations").inner_text()
    form.locator("button[type=submit]").first.click()
    page.wait_for_selector("#report-status[data-status=done]", timeout=120000)
    with page.expect_download() as download:
        page.click("#download-pdf")
    return _pdftotext(download.value.path())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_english_donor_report_of_the_demo_agreement(page, browser_login, central_staff, reference_data):
    load_demo()
    load_events_demo()
    load_reports_demo()
    from networks.models import DonorAgreement

    agreement = DonorAgreement.objects.get(number=DEMO_AGREEMENT).pk
    networks = list(DonorAgreement.objects.get(pk=agreement).networks.values_list("name", flat=True))
    assert len(networks) == 3
    browser_login(page, central_staff)

    # The request page lists what still lacks its English text before anything is generated.
    missing = _request(page, networks, "en", agreement, check_first=True)
    assert "Thái Bình" in missing and "Kon Tum" in missing and "Nghệ An" not in missing.split("Event title")[0]

    text = _request(page, networks, "en", agreement)
    # The cover names the project and the agreement.
    assert "Provincial Women Leaders' Network pilot project" in text and DEMO_AGREEMENT in text
    assert "Extended from two provinces to three." in text
    # The results framework with targets and actuals: two trainings per province, six in all.
    results = text.split("Results framework")[-1]
    trainings = re.search(r"1\.1\.a\s+Trainings held\s+trainings\s+0\s+6\s+(\d+)\s+Achieved", results)
    assert trainings, results[:2000]
    assert int(trainings.group(1)) >= 6
    assert re.search(r"— Nghệ An\s+trainings\s+2\s+2\s+Achieved", results)
    assert re.search(r"1\.1\.b\s+Thematic workshops held\s+workshops\s+0\s+3\s+3\s+Achieved", results)
    # No future event among the delivered ones: the planned training is "next period".
    for chapter in text.split("Events delivered in the period")[1:]:
        delivered, _, after = chapter.partition("Next period")
        assert "diplomatic communication" not in delivered
        assert "diplomatic communication" in after.split("Trainers and guest speakers")[0]
    # English lessons where they exist (Nghệ An), the mark where not (Thái Bình, Kon Tum).
    assert "Held the launch ceremony and two leadership trainings" in text
    assert "[not translated]" in text
    assert "Tổ chức lễ ra mắt và hai lớp tập huấn" in text  # the Vietnamese original, marked

    # The Vietnamese report prints dates as dd/mm/yyyy, never ISO.
    vietnamese = _request(page, networks, "vi", agreement)
    assert "Kỳ báo cáo: 01/01/2026 – 31/12/2026" in vietnamese
    assert re.search(r"\b\d{2}/\d{2}/2026\b", vietnamese.split("Sự kiện đã tổ chức trong kỳ")[1])
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", vietnamese)
