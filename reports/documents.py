"""Assemble a report's content from ``figures`` and render it as PDF and Excel bytes."""

from __future__ import annotations

import io
import logging
import re
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from portal.charts import bar_chart_svg, paired_bar_chart_svg
from portal.pdf import html_to_pdf
from portal.spreadsheets import neutralise
from reports import figures
from reports.models import ReportRequest
from surveys.models import MIN_GROUP_SIZE

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXCEL_DATE_FORMAT = "DD/MM/YYYY"  # the Vietnamese way, whatever the reader's Excel locale

# WeasyPrint logs every layout step (INFO) and every SVG property it ignores in the
# matplotlib charts (WARNING): thousands of lines per report in worker logs.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def report_content(report: ReportRequest) -> dict[str, Any]:
    """Every section of the report as plain data, in the report's language."""
    network_ids = sorted(report.networks.values_list("pk", flat=True))
    start, end = report.period_start, report.period_end
    with translation.override(report.language):
        facts = figures.network_facts(network_ids)
        members = figures.members_by_network(network_ids)
        # The board in office at the end of the period, or at the cut-off if that is earlier.
        cutoff = timezone.localdate(report.data_cutoff) if report.data_cutoff else end
        board = figures.boards(network_ids, on=min(end, cutoff), with_names=report.lists_people)
        events = figures.events_by_network(network_ids, start, end)
        media = figures.media_by_network(network_ids, start, end)
        speakers = figures.speakers_by_network(network_ids, start, end)
        # Small groups are withheld in the donor report, as on the survey pages.
        smallest = 1 if report.lists_people else MIN_GROUP_SIZE
        needs = figures.needs_by_network(network_ids, min_respondents=smallest)
        trainings = figures.prepost_by_network(network_ids, start, end, user=report.requested_by, min_pairs=smallest)
        lessons = figures.lessons_by_network(network_ids, start, end)
        listed = figures.member_list(network_ids) if report.lists_people else {}
        sections = [
            {
                **fact,
                **members[fact["id"]],
                "board": board[fact["id"]],
                "events": events[fact["id"]],
                "media": media[fact["id"]],
                "speakers": speakers[fact["id"]],
                "needs": needs[fact["id"]],
                "trainings": trainings[fact["id"]],
                "lessons": lessons[fact["id"]],
                "members_listed": listed.get(fact["id"], []),
            }
            for fact in facts
        ]
        return {
            "summary": figures.summary(network_ids, start, end),
            "networks": sections,
            "overall_lessons": figures.overall_lessons(start, end),
        }


def render_report_pdf(report: ReportRequest, content: dict[str, Any]) -> bytes:
    """The A4 PDF in one process: cover, contents, summary, one chapter per network,
    overall lessons, annex. (Workers render it in parts: ``reports.pipeline``.)"""
    return html_to_pdf(render_report_html(report, content))


def render_report_html(report: ReportRequest, content: dict[str, Any]) -> str:
    """The report as one HTML document: a ``<section>`` per part — cover, contents,
    summary, one ``id="network-<pk>"`` section per network, then the closing parts."""
    with translation.override(report.language):
        summary = content["summary"]
        events_chart = (
            bar_chart_svg(
                [row["label"] for row in summary["events_by_kind"]],
                [row["count"] for row in summary["events_by_kind"]],
                title=_("Events by kind"),
            )
            if summary["events_by_kind"]
            else ""
        )
        charts = {}
        for network in content["networks"]:
            for training in network["trainings"]:
                shown = [m for m in training["measures"] if not m["hidden"]]
                if shown and training["event_id"] not in charts:
                    charts[training["event_id"]] = paired_bar_chart_svg(
                        [m["label"][:40] for m in shown],
                        [m["mean_before"] or 0 for m in shown],
                        [m["mean_after"] or 0 for m in shown],
                        before_label=_("Before"),
                        after_label=_("After"),
                        title=training["title"][:60],
                    )
        with_charts = {
            **content,
            "networks": [
                {**n, "trainings": [{**t, "chart": charts.get(t["event_id"], "")} for t in n["trainings"]]}
                for n in content["networks"]
            ],
        }
        return render_to_string(
            "reports/report_pdf.html",
            {
                "report": report,
                "content": with_charts,
                "events_chart": events_chart,
                "min_group_size": MIN_GROUP_SIZE,
                "LANGUAGE_CODE": report.language,
            },
        )


def _excel_value(cell: Any) -> Any:
    """Dates (kept as ISO text in the stored figures) become real date cells, shown
    dd/mm/yyyy; everything else is neutralised against formulas."""
    if isinstance(cell, str) and ISO_DATE.fullmatch(cell):
        return date.fromisoformat(cell)
    return neutralise(cell)


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        values = [_excel_value(cell) for cell in row]
        sheet.append([_date_cell(sheet, v) if isinstance(v, date) else v for v in values])


def _date_cell(sheet: Any, value: date) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = EXCEL_DATE_FORMAT
    return cell


def render_report_xlsx(report: ReportRequest, content: dict[str, Any]) -> bytes:
    """The Excel companion: the same figures, one sheet per table, every cell neutralised."""
    with translation.override(report.language):
        workbook = Workbook(write_only=True)
        summary = content["summary"]
        _sheet(
            workbook,
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Networks"), summary["networks"]],
                [_("Members"), summary["members"]],
                [_("Events"), summary["events"]],
                [_("Event-days"), summary["event_days"]],
                [_("People attending events"), summary["attended"]],
                [_("— of whom members"), summary["attended_members"]],
                [_("— of whom guests"), summary["attended_guests"]],
                [_("Participant-days"), summary["participant_days"]],
                [_("Ethnic-minority members"), summary["ethnic_minority_members"]],
                [_("Ethnic-minority share (%)"), summary["ethnic_minority_share"]],
                [_("Communes covered"), summary["communes_covered"]],
                [_("Communes in the provinces"), summary["communes_in_provinces"]],
                [_("Young potential leaders"), summary["young_potential_leaders"]],
            ],
        )
        _sheet(
            workbook,
            _("Events by kind"),
            [_("Kind"), _("Events")],
            [[row["label"], row["count"]] for row in summary["events_by_kind"]],
        )
        nets = content["networks"]
        _sheet(
            workbook,
            _("Networks"),
            [_("Network"), _("Province"), _("Founded as"), _("Kind"), _("Status"), _("Launch date"), _("Members")],
            [
                [n["name"], n["province"], n["founded_as"], n["kind"], n["status"], n["launch_date"], n["members"]]
                for n in nets
            ],
        )
        _sheet(
            workbook,
            _("Board"),
            [_("Network"), _("Term from"), _("Term to"), _("Role"), _("Seats")]
            + ([_("Full name"), _("Assigned tasks")] if report.lists_people else []),
            [
                [
                    n["name"],
                    n["board"]["starts_on"],
                    n["board"]["ends_on"],
                    seat["role"],
                    1,
                    seat["full_name"],
                    seat["tasks"],
                ]
                for n in nets
                if n["board"]
                for seat in n["board"]["holders"]
            ]
            if report.lists_people
            else [
                [n["name"], n["board"]["starts_on"], n["board"]["ends_on"], row["label"], row["count"]]
                for n in nets
                if n["board"]
                for row in n["board"]["roles"]
            ],
        )
        unknown = _("Not recorded")
        _sheet(
            workbook,
            _("Members by category"),
            [_("Network"), _("Category"), _("Members")],
            [
                row
                for n in nets
                for row in [[n["name"], c["label"], c["count"]] for c in n["categories"]]
                + ([[n["name"], unknown, n["category_unknown"]]] if n["category_unknown"] else [])
            ],
        )
        _sheet(
            workbook,
            _("Members by ethnic group"),
            [_("Network"), _("Ethnic group"), _("Members")],
            [
                row
                for n in nets
                for row in [[n["name"], e["label"], e["count"]] for e in n["ethnicities"]]
                + ([[n["name"], unknown, n["ethnicity_unknown"]]] if n["ethnicity_unknown"] else [])
            ],
        )
        _sheet(
            workbook,
            _("Members by age"),
            [_("Network"), _("Age"), _("Members")],
            [[n["name"], a["label"], a["count"]] for n in nets for a in n["age_bands"]],
        )
        _sheet(
            workbook,
            _("Events"),
            [
                _("Network"),
                _("Title"),
                _("Kind"),
                _("Status"),
                _("Starts"),
                _("Ends"),
                _("Days"),
                _("Shared with other networks"),
                _("Invited"),
                _("Attended"),
                _("Members"),
                _("Guests"),
                _("Attendance rate (%)"),
                _("Participant-days"),
            ],
            [
                [
                    n["name"],
                    e["title"],
                    e["kind"],
                    e["status"],
                    e["starts"],
                    e["ends"],
                    e["days"],
                    _("yes") if e["shared"] else _("no"),
                    e["invited"],
                    e["attended"],
                    e["attended_members"],
                    e["attended_guests"],
                    e["attendance_rate"],
                    e["participant_days"],
                ]
                for n in nets
                for e in n["events"]
            ],
        )
        _sheet(
            workbook,
            _("Trainers and speakers"),
            [_("Network"), pgettext("person", "Name"), _("Role"), _("Organisation"), _("Events")],
            [
                [n["name"], sp["full_name"], sp["kind"], sp["organisation"], "; ".join(sp["events"])]
                for n in nets
                for sp in n["speakers"]
            ],
        )
        _sheet(
            workbook,
            _("Media coverage"),
            [_("Network"), _("Outlet"), _("Date"), _("Title"), _("Link"), _("Event")],
            [
                [n["name"], m["outlet"], m["published_on"], m["title"], m["url"], m["event"]]
                for n in nets
                for m in n["media"]
            ],
        )
        _sheet(
            workbook,
            _("Needs-survey highlights"),
            [_("Network"), _("Survey"), _("Opened"), _("Respondents"), _("Need"), _("Chosen by"), _("Share (%)")],
            [
                [
                    n["name"],
                    n["needs"]["survey"],
                    n["needs"]["opens"],
                    n["needs"]["respondents"],
                    need["text"],
                    need["count"],
                    need["percent"],
                ]
                for n in nets
                if n["needs"]
                for need in n["needs"]["needs"]
            ],
        )
        _sheet(
            workbook,
            _("Pre-post change"),
            [
                _("Network"),
                _("Training"),
                _("Date"),
                _("Measure"),
                _("Matched pairs"),
                _("Mean before"),
                _("Mean after"),
                _("Change"),
                _("Improved (%)"),
                _("p-value (Wilcoxon)"),
            ],
            [
                [
                    n["name"],
                    t["title"],
                    t["starts"],
                    m["label"],
                    m["pairs"],
                    m["mean_before"],
                    m["mean_after"],
                    m["change"],
                    m["improved_share"],
                    m["p_value"],
                ]
                for n in nets
                for t in n["trainings"]
                for m in t["measures"]
            ],
        )
        lesson_rows = [
            [
                n["name"],
                entry["period_start"],
                entry["period_end"],
                entry["achievements"],
                entry["difficulties"],
                entry["lessons"],
                entry["next_steps"],
            ]
            for n in nets
            for entry in n["lessons"]
        ] + [
            [
                _("Overall"),
                entry["period_start"],
                entry["period_end"],
                entry["achievements"],
                entry["difficulties"],
                entry["lessons"],
                entry["next_steps"],
            ]
            for entry in content["overall_lessons"]
        ]
        _sheet(
            workbook,
            _("Lessons learned"),
            [
                _("Network"),
                _("Period start"),
                _("Period end"),
                _("Achievements"),
                _("Difficulties"),
                _("Lessons"),
                _("Next steps"),
            ],
            lesson_rows,
        )
        if report.lists_people:
            _sheet(
                workbook,
                _("Member list"),
                [_("Network"), _("Full name"), _("Organisation"), _("Position"), _("Category"), _("Member since")],
                [
                    [n["name"], m["full_name"], m["organisation"], m["position"], m["category"], m["joined_on"]]
                    for n in nets
                    for m in n["members_listed"]
                ],
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
