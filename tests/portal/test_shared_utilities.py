import pytest
from pypdf import PdfReader

from portal.charts import bar_chart_svg
from portal.pdf import render_pdf
from portal.qr import qr_png, qr_svg
from portal.spreadsheets import FORMULA_TRIGGERS, neutralise


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_every_formula_trigger_is_neutralised(trigger):
    assert neutralise(f"{trigger}HYPERLINK(1)") == f"'{trigger}HYPERLINK(1)"


def test_ordinary_values_are_left_alone():
    assert neutralise("Nguyễn Thị Hoa") == "Nguyễn Thị Hoa"
    assert neutralise(42) == 42


def test_pdf_keeps_vietnamese_diacritics(tmp_path, settings):
    tpl = tmp_path / "t.html"
    tpl.write_text('{% extends "pdf/base.html" %}{% block body %}<h1>{{ text }}</h1>{% endblock %}', encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]  # reassigned: resets the engines
    pdf = render_pdf("t.html", {"text": "Mạng lưới Lãnh đạo nữ Tự tin Hội nhập"})
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf)
    assert "Mạng lưới Lãnh đạo nữ Tự tin Hội nhập" in PdfReader(out).pages[0].extract_text()


def test_qr_and_chart_render():
    assert qr_svg("https://example.org/x").lstrip().startswith("<?xml") or "<svg" in qr_svg("x")
    assert qr_png("x")[:8] == b"\x89PNG\r\n\x1a\n"
    svg = bar_chart_svg(["Kinh", "Thái"], [3, 2], title="Dân tộc")
    assert svg.startswith("<svg") and "Dân tộc" in svg
