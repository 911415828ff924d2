"""Generating a report in parts, so that several workers render it at once.

The report's HTML (``reports.documents.render_report_html``) is one document of top-level
``<section>`` elements: a cover, a contents list, front matter, one ``id="network-<pk>"``
section per network and closing parts. :func:`report_prepare` computes the content once,
cuts the HTML into parts (cover · front matter · one per network · closing) and stores
them; :func:`report_render_part` lays one part out with WeasyPrint and stores its PDF,
page count and the page of every anchor; :func:`report_merge` renders the contents with
the real page numbers, concatenates the parts with pypdf and stamps continuous page
numbers (``n / N``, not on the cover); the parts' own bookmarks make the PDF outline. The
Celery tasks in ``reports.tasks`` run the parts as a chord;
:func:`report_generate_in_process` runs the same steps one after the other.

Every step is idempotent: parts belong to one attempt, re-rendering a part overwrites it,
and only the current attempt's merge may finish the report.
"""

from __future__ import annotations

import io
import multiprocessing
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from portal.pdf import html_document
from reports.models import ReportPart, ReportRequest

Status = ReportRequest.Status
Kind = ReportPart.Kind

# Parts carry no running footer: the merge stamps continuous numbers on every page.
_PART_STYLE = "<style>@page { @bottom-center { content: none; } }</style>"
_CONTENTS_STYLE = (
    "<style>section.toc a[data-page]::after { content: leader('.') attr(data-page); }"
    " section.toc a { color: #111; text-decoration: none; }</style>"
)


# --- cutting the HTML ----------------------------------------------------------------------


@dataclass
class Section:
    attrs: dict[str, str]
    html: str

    @property
    def id(self) -> str:
        return self.attrs.get("id") or ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


@dataclass
class Cut:
    """A report's HTML cut into its head (up to and including ``<body>``) and top-level sections."""

    head: str
    sections: list[Section] = field(default_factory=list)


class _SectionFinder(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for match in re.finditer("\n", html):
            self.line_starts.append(match.end())
        self.body_end = 0
        self.depth = 0
        self.start = 0
        self.attrs: dict[str, str] = {}
        self.found: list[Section] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and not self.body_end:
            self.body_end = self._offset() + len(self.get_starttag_text() or "")
        elif tag == "section":
            if self.depth == 0:
                self.start = self._offset()
                self.attrs = {k: v or "" for k, v in attrs}
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1
            if self.depth == 0:
                end = self.html.index(">", self._offset()) + 1
                self.found.append(Section(self.attrs, self.html[self.start : end]))


# A tag that opens or closes a section, or opens the body. In the report's HTML every
# "<" of stored text is escaped, so these are tags; with comments, scripts or CDATA (where
# "<section" could be text) the full HTML parser cuts instead.
_TAG = re.compile(r"<(/?)(section|body)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.IGNORECASE)
_NOT_MARKUP = re.compile(r"<!--|<script\b|<!\[CDATA\[", re.IGNORECASE)


def _quick_sections(html: str) -> tuple[int, list[Section]] | None:
    if _NOT_MARKUP.search(html):
        return None
    body_end, depth, start, attrs, found = 0, 0, 0, "", []
    for match in _TAG.finditer(html):
        closing, tag = match.group(1), match.group(2).lower()
        if tag == "body":
            if not closing and not body_end:
                body_end = match.end()
        elif not closing:
            if depth == 0:
                start, attrs = match.start(), match.group(3)
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                found.append(Section(_attributes(attrs), html[start : match.end()]))
    return body_end, found


def _attributes(text: str) -> dict[str, str]:
    parser = _SectionFinder(f"<section{text}>")
    parser.feed(f"<section{text}>")
    return parser.attrs


def cut_html(html: str) -> Cut:
    """The head and the top-level ``<section>`` elements of a report's HTML."""
    quick = _quick_sections(html)
    if quick is None:
        finder = _SectionFinder(html)
        finder.feed(html)
        finder.close()
        quick = finder.body_end, finder.found
    body_end, sections = quick
    head = html[:body_end]
    head = head.replace("</head>", _PART_STYLE + "</head>", 1)
    return Cut(head=head, sections=sections)


def group_sections(sections: list[Section]) -> list[tuple[str, list[Section]]]:
    """Sections grouped into parts, in order: the cover (sections before the contents),
    the contents (class ``toc``), the front matter, one part per network section
    (``id="network-…"``; other sections between networks stay with the one before) and
    the closing part. Empty parts are left out."""
    toc_at = next((i for i, s in enumerate(sections) if "toc" in s.classes), None)
    cover: list[Section] = []
    contents: list[Section] = []
    rest = sections
    if toc_at is not None:
        cover, contents, rest = sections[:toc_at], [sections[toc_at]], sections[toc_at + 1 :]
    elif sections and "cover" in sections[0].classes:
        cover, rest = sections[:1], sections[1:]
    network_at = [i for i, s in enumerate(rest) if s.id.startswith("network-")]
    parts: list[tuple[str, list[Section]]] = [(Kind.COVER, cover), (Kind.CONTENTS, contents)]
    if not network_at:
        parts.append((Kind.FRONT, rest))
    else:
        parts.append((Kind.FRONT, rest[: network_at[0]]))
        for n, start in enumerate(network_at):
            end = network_at[n + 1] if n + 1 < len(network_at) else network_at[-1] + 1
            parts.append((Kind.NETWORK, rest[start:end]))
        parts.append((Kind.CLOSING, rest[network_at[-1] + 1 :]))
    return [(kind, chunk) for kind, chunk in parts if chunk]


# --- the steps -----------------------------------------------------------------------------


def report_start(*, report_id: int) -> ReportRequest | None:
    """Mark the report running as a new attempt; None when it is already finished."""
    from reports.services import report_check_transition

    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report_id)
        if report.is_finished:
            return None
        report_check_transition(old=report.status, new=Status.RUNNING)
        now = timezone.now()
        report.status = Status.RUNNING
        report.attempts += 1
        report.started_at = now
        # A regenerated report keeps the cut-off it was asked for; a retried attempt keeps
        # the first attempt's, so every attempt and every part reads the same data.
        report.data_cutoff = report.data_cutoff or now
        report.portal_version = settings.PORTAL_VERSION
        report.save(update_fields=["status", "attempts", "started_at", "data_cutoff", "portal_version"])
    return report


def report_prepare(*, report_id: int) -> tuple[int, list[int]] | None:
    """Start a new attempt: compute the content once, write the workbook and the figures,
    and store the PDF's parts. Returns ``(attempt, part ids to render)``, or None when the
    report is already finished."""
    from reports import documents, services

    report = report_start(report_id=report_id)
    if report is None:
        return None
    attempt = report.attempts
    services._pause_for_tests()
    content = documents.report_content(report)
    html = documents.render_report_html(report, content)
    xlsx = documents.render_report_xlsx(report, content)
    cut = cut_html(html)
    with transaction.atomic():
        ReportRequest.objects.filter(pk=report_id, attempts=attempt).update(figures=content["summary"], xlsx=xlsx)
        ReportPart.objects.filter(report_id=report_id).delete()
        parts = ReportPart.objects.bulk_create(
            ReportPart(
                report_id=report_id,
                attempt=attempt,
                order=order,
                kind=kind,
                html=cut.head + "".join(s.html for s in chunk) + "</body></html>",
            )
            for order, (kind, chunk) in enumerate(group_sections(cut.sections))
        )
    return attempt, [p.pk for p in parts if p.kind != Kind.CONTENTS]


def report_render_part(*, part_id: int) -> None:
    """Lay one part out and store its PDF, page count and the page of each anchor.
    Safe to repeat: a re-render replaces the stored PDF."""
    from reports import services

    part = ReportPart.objects.filter(pk=part_id).first()
    if part is None:
        return
    if part.kind == Kind.NETWORK:
        services._pause_part_for_tests()
    pdf, pages, anchors = _render(part.html)
    ReportPart.objects.filter(pk=part_id).update(pdf=pdf, pages=pages, anchors=anchors, renders=F("renders") + 1)


def _render(html: str) -> tuple[bytes, int, dict[str, int]]:
    document = html_document(html)
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return document.write_pdf(), len(document.pages), anchors


class PartsMissing(Exception):
    """The merge ran before every part was rendered (a part is being retried)."""


def report_merge(*, report_id: int, attempt: int) -> ReportRequest:
    """Merge the rendered parts of ``attempt`` into the report's PDF and mark it done.
    Only the current attempt may finish the report, and a finished report is left as it
    is. Raises :class:`PartsMissing` when a part has not been rendered yet."""
    from pypdf import PdfReader, PdfWriter

    report = ReportRequest.objects.get(pk=report_id)
    if report.is_finished or report.attempts != attempt:
        return report
    parts = list(ReportPart.objects.filter(report_id=report_id, attempt=attempt).order_by("order"))
    if any(p.pdf is None for p in parts if p.kind != Kind.CONTENTS):
        raise PartsMissing(f"report {report_id}: parts not rendered yet")
    with translation.override(report.language):
        contents = next((p for p in parts if p.kind == Kind.CONTENTS), None)
        if contents is not None:
            _render_contents(contents, parts)
            ReportPart.objects.filter(pk=contents.pk).update(pages=contents.pages, renders=F("renders") + 1)
    writer = PdfWriter()
    for part in parts:
        # Each part's own bookmarks (its headings, nested as in the document) make the
        # report's outline, pointing at the right pages of the merged file.
        writer.append(PdfReader(io.BytesIO(bytes(part.pdf))))
    cover_pages = sum(p.pages for p in parts if p.kind == Kind.COVER)
    stamp_page_numbers(writer, first=cover_pages)
    buffer = io.BytesIO()
    writer.write(buffer)
    with transaction.atomic():
        ReportRequest.objects.filter(pk=report_id, status=Status.RUNNING, attempts=attempt).update(
            status=Status.DONE,
            finished_at=timezone.now(),
            pdf=buffer.getvalue(),
            completions=F("completions") + 1,
        )
        # Keep what each part was (pages, renders) but not its copy of the document.
        ReportPart.objects.filter(report_id=report_id).update(pdf=None, html="")
    report.refresh_from_db()
    return report


def _render_contents(contents: ReportPart, parts: list[ReportPart]) -> None:
    """Render the contents part with the page each entry's anchor landed on. The contents'
    own length moves every later page, so it is laid out until its length is stable."""
    cover_pages = sum(p.pages for p in parts if p.kind == Kind.COVER)
    own_pages = max(contents.pages, 1)
    for _attempt in range(3):
        page_of: dict[str, int] = {}
        start = cover_pages + own_pages
        for part in parts:
            if part.kind in (Kind.COVER, Kind.CONTENTS):
                continue
            for anchor, index in part.anchors.items():
                page_of.setdefault(anchor, start + index + 1)
            start += part.pages

        html = re.sub(r'(<a\b[^>]*?\bhref="#([^"]+)")', lambda m, pages=page_of: _numbered(m, pages), contents.html)
        html = html.replace("</head>", _CONTENTS_STYLE + "</head>", 1)
        pdf, pages, anchors = _render(html)
        contents.pdf, contents.anchors = pdf, anchors
        if pages == own_pages:
            break
        own_pages = pages
    contents.pages = own_pages


def _numbered(match: re.Match[str], page_of: dict[str, int]) -> str:
    # The link becomes plain text with its page number: in a part, the target is in
    # another document (the PDF outline gives the clickable contents).
    page = page_of.get(match.group(2))
    return f'<a data-target="{match.group(2)}" data-page="{page}"' if page else f'<a data-target="{match.group(2)}"'


# Widths (thousandths of an em) of the characters of "n / N" in Helvetica, one of the
# fonts every PDF reader has: the footer needs no embedded font and no layout engine.
_HELVETICA_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, "/": 278}
FOOTER_SIZE = 9  # pt, as the single-document footer (pdf/base.html)
FOOTER_BASELINE = 25  # pt above the bottom edge: the middle of the 20 mm bottom margin
FOOTER_GREY = 0.333  # #555


def stamp_page_numbers(writer: Any, *, first: int) -> None:
    """Write "n / N" at the foot of every page of ``writer`` from index ``first`` on
    (the cover carries none): a few bytes of content per page, added to the page as it
    is, instead of laying out and merging a second document page by page."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    total = len(writer.pages)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )

    def stream(data: bytes) -> Any:
        content = DecodedStreamObject()
        content.set_data(data)
        return writer._add_object(content)

    save = stream(b"q\n")
    for index in range(first, total):
        page = writer.pages[index]
        text = f"{index + 1} / {total}"
        width = sum(_HELVETICA_WIDTHS[c] for c in text) * FOOTER_SIZE / 1000
        left, bottom, right, _top = (float(v) for v in page.mediabox)
        x = left + (right - left - width) / 2
        stamp = stream(
            f"\nQ q {FOOTER_GREY} g BT /WLNPageNumber {FOOTER_SIZE} Tf {x:.2f} {bottom + FOOTER_BASELINE:.2f} Td "
            f"({text}) Tj ET Q\n".encode("ascii")
        )
        resources = page.get("/Resources")
        if resources is None:
            page[NameObject("/Resources")] = resources = DictionaryObject()
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            resources[NameObject("/Font")] = fonts = DictionaryObject()
        fonts.get_object()[NameObject("/WLNPageNumber")] = font
        contents = page.get("/Contents")
        existing = [] if contents is None else contents.get_object()
        existing = list(existing) if isinstance(existing, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *existing, stamp])


def render_processes(parts: int) -> int:
    """How many processes lay out ``parts`` parts at once in this process: the setting
    ``REPORTS_RENDER_PROCESSES`` (default: the number of CPUs), at most one per part, and
    1 where forking is unsafe — another thread is running (a threaded server, a test's
    live server) or this process is itself a daemonic pool worker."""
    wanted = min(int(getattr(settings, "REPORTS_RENDER_PROCESSES", 1) or 1), parts)
    if wanted <= 1 or threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


def report_generate_in_process(*, report_id: int) -> ReportRequest:
    """Prepare, render every part and merge in this process. The parts are laid out on
    :func:`render_processes` forked processes at once (WeasyPrint is single-threaded and
    CPU-bound, as the workers' chord does it); the forks only lay out HTML, and this
    process stores what they return."""
    prepared = report_prepare(report_id=report_id)
    if prepared is None:
        return ReportRequest.objects.get(pk=report_id)
    attempt, part_ids = prepared
    processes = render_processes(len(part_ids))
    if processes <= 1:
        for part_id in part_ids:
            report_render_part(part_id=part_id)
    else:
        htmls = dict(ReportPart.objects.filter(pk__in=part_ids).values_list("pk", "html"))
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            # Longest first, so that a big part does not start last.
            order = sorted(part_ids, key=lambda pk: -len(htmls[pk]))
            rendered = pool.map(_render, [htmls[pk] for pk in order])
            for part_id, (pdf, pages, anchors) in zip(order, rendered, strict=True):
                ReportPart.objects.filter(pk=part_id).update(
                    pdf=pdf, pages=pages, anchors=anchors, renders=F("renders") + 1
                )
    return report_merge(report_id=report_id, attempt=attempt)
