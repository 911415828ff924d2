"""Print quality: every table row's cells on one page, headers repeated on the next page,
numbers in the report's language in tables and charts alike, chart labels wrapped.

The PDF is read back with pypdf: each row carries a unique token at the end of its
first (long, wrapping) cell and in another cell, and both must be on the same page."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from pypdf import PdfReader

from events.models import Speaker
from portal.charts import bar_chart_svg, wrap_label
from reports.documents import _chart_number
from reports.services import report_generate
from tests.factories import EventFactory, MembershipFactory
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db
ROWS = 40


@pytest.fixture
def long_tables(network_a):
    """Events and trainers with long, wrapping cells, enough to run tables over pages."""
    MembershipFactory.create_batch(6, network=network_a)
    start = datetime(2026, 2, 2, 1, tzinfo=UTC)
    for i in range(ROWS):
        event = EventFactory(
            networks=[network_a],
            status="held",
            kind="training",
            title=f"Tập huấn kỹ năng lãnh đạo, giao tiếp đối ngoại và chuyển đổi số cho nữ lãnh đạo TITLEEND{i:02d}",
            other_funding=f"FUND{i:02d}",
            starts_at=start + timedelta(days=2 * i),
            ends_at=start + timedelta(days=2 * i, hours=8),
        )
        event.speakers.add(
            Speaker.objects.create(
                kind="trainer",
                full_name=f"Nguyễn Thị Minh Khai Hoàng Lan Phương NAMEEND{i:02d}",
                organisation=f"Học viện Chính trị quốc gia, Viện Nghiên cứu Giới và Phát triển ORGEND{i:02d}",
            )
        )
    return network_a


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _page_of(pages: list[str], token: str) -> list[int]:
    return [number for number, text in enumerate(pages, start=1) if token in text]


def test_every_table_row_stays_on_one_page_and_headers_repeat(long_tables, central_staff):
    report = make_report([long_tables], kind="donor", language="vi", requested_by=central_staff)
    pages = _pages(bytes(report_generate(report_id=report.pk).pdf))
    assert len(pages) > 5
    event_pages = set()
    for i in range(ROWS):
        # Events table: the funding cell and the end of the wrapping title cell.
        [funding_page] = _page_of(pages, f"FUND{i:02d}")
        assert f"TITLEEND{i:02d}" in pages[funding_page - 1], f"event row {i} split across pages"
        event_pages.add(funding_page)
        # Trainers table: the end of the name cell and the end of the organisation cell.
        [org_page] = _page_of(pages, f"ORGEND{i:02d}")
        assert _page_of(pages, f"NAMEEND{i:02d}") == [org_page], f"trainer row {i} split across pages"
    # The events table runs over several pages and its header repeats on each.
    assert len(event_pages) > 1
    for number in event_pages:
        assert "Nguồn kinh phí" in pages[number - 1] and "Đã mời" in pages[number - 1]


def test_chart_labels_wrap_and_charts_use_the_report_number_format():
    label = "Hội thảo chuyên đề về lãnh đạo nữ trong hội nhập quốc tế"
    wrapped = wrap_label(label, 20)
    assert wrapped.count("\n") >= 2 and wrapped.replace("\n", " ") == label  # whole words only
    with translation.override("vi"):
        assert _chart_number(3.5) == "3,5" and _chart_number(3.0) == "3"
        svg = bar_chart_svg(["Một", "Hai"], [3.5, 1.5], number_format=_chart_number)
    assert ">3,5<" in svg.replace(" ", "") or "3,5" in svg
    with translation.override("en"):
        assert _chart_number(3.5) == "3.5"
