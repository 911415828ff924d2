"""A report rendered in parts (cover · contents · front matter · one part per network ·
closing) is merged into one PDF whose page numbers and contents run on across parts."""

from __future__ import annotations

import io
import re
import threading

import pytest
from pypdf import PdfReader

from reports.models import ReportPart, ReportRequest
from reports.pipeline import (
    cut_html,
    group_sections,
    render_processes,
    report_merge,
    report_prepare,
    report_render_part,
)
from reports.services import report_generate
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db


def page_texts(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def assert_continuous(report: ReportRequest, network_names: list[str]) -> list[str]:
    """Every page but the cover says "n / N"; the contents give each network the page its
    chapter starts on; each chapter appears once, in the pages and in the outline."""
    pages = page_texts(bytes(report.pdf))
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"{number} / {total}" in text, (number, text[-80:])
    assert f"1 / {total}" not in pages[0]  # the cover carries no number
    contents = next(i for i, text in enumerate(pages) if "Mục lục" in text or "Contents" in text)
    for name in network_names:
        starts = [i + 1 for i, text in enumerate(pages) if i != contents and text.startswith(name)]
        assert len(starts) == 1, (name, starts)
        listed = re.search(re.escape(name) + r"[ .]*?(\d+)", pages[contents])
        assert listed and int(listed.group(1)) == starts[0], (name, pages[contents])
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert all(outline.count(name) == 1 for name in network_names), outline  # each chapter once
    return pages


def test_the_html_is_cut_into_cover_contents_front_networks_and_closing():
    html = (
        "<html><head><style>p{}</style></head><body>"
        '<section class="cover">C</section><section class="page-break toc">T</section>'
        '<section id="summary">S<section id="inner">nested</section></section>'
        '<section id="network-1">N1</section><section id="extra">E</section><section id="network-2">N2</section>'
        '<section id="annex">A</section></body></html>'
    )
    cut = cut_html(html)
    assert cut.head.endswith("<body>") and "@bottom-center { content: none; }" in cut.head
    kinds = [
        (kind, [s.attrs.get("id", s.attrs.get("class")) for s in chunk]) for kind, chunk in group_sections(cut.sections)
    ]
    assert kinds == [
        ("cover", ["cover"]),
        ("contents", ["page-break toc"]),
        ("front", ["summary"]),
        ("network", ["network-1", "extra"]),
        ("network", ["network-2"]),
        ("closing", ["annex"]),
    ]


def test_a_report_in_parts_has_continuous_page_numbers_and_contents(populated_networks):
    network_a, network_b = populated_networks
    report = report_generate(report_id=make_report([network_a, network_b], kind="donor", language="vi").pk)
    assert report.status == "done", report.error
    parts = list(ReportPart.objects.filter(report=report).order_by("order"))
    assert [p.kind for p in parts] == ["cover", "contents", "front", "network", "network", "closing"]
    pages = assert_continuous(report, [network_a.name, network_b.name])
    assert len(pages) == sum(p.pages for p in parts)


def test_a_part_rendered_twice_does_not_duplicate_pages(populated_networks):
    network_a, network_b = populated_networks
    report = make_report([network_a, network_b], kind="donor", language="en")
    attempt, part_ids = report_prepare(report_id=report.pk)
    for part_id in part_ids:
        report_render_part(part_id=part_id)
    report_render_part(part_id=part_ids[2])  # redelivered after its worker died
    report = report_merge(report_id=report.pk, attempt=attempt)
    assert report.status == "done" and report.completions == 1
    pages = assert_continuous(report, [network_a.name, network_b.name])
    assert len(pages) == sum(ReportPart.objects.filter(report=report).values_list("pages", flat=True))
    assert report_merge(report_id=report.pk, attempt=attempt).completions == 1  # a second merge changes nothing


def test_parts_laid_out_on_several_processes_give_the_same_report(populated_networks, settings):
    """In this process (no worker), the parts are laid out on forked processes at once;
    the report is the same as when they are laid out one by one."""
    network_a, network_b = populated_networks
    settings.REPORTS_RENDER_PROCESSES = 2
    assert render_processes(4) == 2  # nothing here prevents forking: the parallel path runs
    parallel = report_generate(report_id=make_report([network_a, network_b], kind="donor", language="en").pk)
    settings.REPORTS_RENDER_PROCESSES = 1
    one_by_one = report_generate(report_id=make_report([network_a, network_b], kind="donor", language="en").pk)
    assert parallel.status == one_by_one.status == "done", (parallel.error, one_by_one.error)
    assert set(ReportPart.objects.filter(report=parallel).values_list("renders", flat=True)) == {1}
    pages = assert_continuous(parallel, [network_a.name, network_b.name])
    # The same pages, word for word, but the cover (its request number and time).
    assert pages[1:] == page_texts(bytes(one_by_one.pdf))[1:]


def test_forking_only_where_it_is_safe_and_useful(settings):
    settings.REPORTS_RENDER_PROCESSES = 4
    assert render_processes(3) == 3  # never more processes than parts
    assert render_processes(1) == 1
    settings.REPORTS_RENDER_PROCESSES = 1
    assert render_processes(10) == 1
    settings.REPORTS_RENDER_PROCESSES = 4
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert render_processes(10) == 1  # a threaded server: forking could copy a held lock
    finally:
        release.set()
        other.join()
    assert render_processes(10) == 4


def test_the_quick_cut_finds_what_the_html_parser_finds(populated_networks):
    from reports import documents
    from reports.pipeline import _quick_sections, _SectionFinder

    report = make_report(list(populated_networks), kind="donor", language="vi")
    html = documents.render_report_html(report, documents.report_content(report))
    parser = _SectionFinder(html)
    parser.feed(html)
    parser.close()
    body_end, sections = _quick_sections(html)
    assert body_end == parser.body_end and len(sections) == len(parser.found) >= 5
    assert [(s.attrs, s.html) for s in sections] == [(s.attrs, s.html) for s in parser.found]


def test_a_comment_or_script_sends_the_cut_to_the_html_parser():
    html = (
        '<html><head></head><body><section id="a" data-x="1 > 0">A<!-- <section> --></section>'
        "<script>var s = '<section>';</script><section id='b'>B</section></body></html>"
    )
    cut = cut_html(html)
    assert [s.id for s in cut.sections] == ["a", "b"]
    assert cut.sections[0].attrs == {"id": "a", "data-x": "1 > 0"}
