"""Issue 15: the same date and number format in PDFs, Excel and charts as in pages:
dd/mm/yyyy and "3,5" in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.template import Context, Template
from django.utils import translation
from openpyxl import Workbook, load_workbook

from portal.charts import bar_chart_svg, paired_bar_chart_svg
from reports.documents import _sheet


def _texts(svg: str) -> list[str]:
    """The words a reader sees: the text elements, not coordinates or metadata."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_chart_axes_use_the_language_decimal_separator():
    with translation.override("vi"):
        texts = _texts(bar_chart_svg(["Trước", "Sau"], [2.5, 3.5]))
        assert "2,5" in texts and "2.5" not in texts
        paired = _texts(paired_bar_chart_svg(["Kỹ năng"], [2.5], [3.5], before_label="Trước", after_label="Sau"))
        assert "3,5" in paired and "3.5" not in paired
    with translation.override("en"):
        assert "2.5" in _texts(bar_chart_svg(["Before", "After"], [2.5, 3.5]))


def test_report_dates_kept_as_iso_text_print_day_first():
    template = Template("{% load portal_formats %}{{ day|isodate }} {{ other|isodate }}")
    with translation.override("vi"):
        assert template.render(Context({"day": "2026-11-23", "other": "—"})) == "23/11/2026 —"
    with translation.override("en"):
        assert template.render(Context({"day": dt.date(2026, 11, 23), "other": ""})).strip() == "23/11/2026"


def test_excel_dates_are_date_cells_shown_day_first():
    workbook = Workbook()
    _sheet(workbook, "Mạng lưới", ["Tên", "Ngày ra mắt", "Thành viên"], [["Mạng lưới A", "2026-11-23", 3.5]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Mạng lưới"]
    cell = sheet["B2"]
    assert cell.value.date() == dt.date(2026, 11, 23)
    assert cell.number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == 3.5  # a number, shown with the reader's decimal comma
