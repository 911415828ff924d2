"""Assemble a report's content from ``figures`` and render it as PDF and Excel bytes."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.charts import bar_chart_svg
from portal.pdf import render_pdf
from portal.spreadsheets import neutralise
from reports import figures
from reports.models import ReportRequest

# WeasyPrint logs every layout step (INFO) and every SVG property it ignores in the
# matplotlib charts (WARNING): thousands of lines per report in worker logs.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def report_content(report: ReportRequest) -> dict[str, Any]:
    """Every section of the report as plain data, in the report's language."""
    network_ids = sorted(report.networks.values_list("pk", flat=True))
    start, end = report.period_start, report.period_end
    with translation.override(report.language):
        facts = figures.network_facts(network_ids)
        categories = figures.members_by_category(network_ids)
        events = figures.events_by_network(network_ids, start, end)
        lessons = figures.lessons_by_network(network_ids, start, end)
        members = figures.member_list(network_ids) if report.lists_people else {}
        sections = [
            {
                **fact,
                "categories": categories[fact["id"]],
                "events": events[fact["id"]],
                "lessons": lessons[fact["id"]],
                "members_listed": members.get(fact["id"], []),
            }
            for fact in facts
        ]
        return {
            "summary": figures.summary(network_ids, start, end),
            "networks": sections,
            "overall_lessons": figures.overall_lessons(start, end),
        }


def render_report_pdf(report: ReportRequest, content: dict[str, Any]) -> bytes:
    """The A4 PDF: cover, contents, summary, one chapter per network, overall lessons, annex."""
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
        return render_pdf(
            "reports/report_pdf.html",
            {"report": report, "content": content, "events_chart": events_chart, "LANGUAGE_CODE": report.language},
        )


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])


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
                [_("Ethnic-minority members"), summary["ethnic_minority_members"]],
                [_("Ethnic-minority share (%)"), summary["ethnic_minority_share"]],
                [_("Communes covered"), summary["communes_covered"]],
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
            _("Members by category"),
            [_("Network"), _("Category"), _("Members")],
            [[n["name"], c["label"], c["count"]] for n in nets for c in n["categories"]],
        )
        _sheet(
            workbook,
            _("Events"),
            [_("Network"), _("Title"), _("Kind"), _("Status"), _("Starts"), _("Ends"), _("Days")],
            [
                [n["name"], e["title"], e["kind"], e["status"], e["starts"], e["ends"], e["days"]]
                for n in nets
                for e in n["events"]
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
