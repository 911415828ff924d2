"""Assemble a report's content from ``figures`` and render it as PDF and Excel bytes."""

from __future__ import annotations

import io
import logging
import re
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from networks.models import DonorAgreement
from portal.charts import bar_chart_svg, paired_bar_chart_svg, wrap_label
from portal.pdf import html_to_pdf
from portal.privacy import shown_count
from portal.spreadsheets import neutralise
from reports import figures, indicators
from reports.models import ReportRequest
from reports.period import Window
from surveys.models import MIN_GROUP_SIZE

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXCEL_DATE_FORMAT = "DD/MM/YYYY"  # the Vietnamese way, whatever the reader's Excel locale

# WeasyPrint logs every layout step (INFO) and every SVG property it ignores in the
# charts (WARNING): thousands of lines per report in worker logs.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def report_content(report: ReportRequest) -> dict[str, Any]:
    """Every section of the report as plain data, in the report's language.

    The content is a cover/summary part (``cover``, ``summary``, ``planned_vs_delivered``,
    ``results``), one self-contained section per network (``networks``: each can be
    rendered alone) and the closing parts (``evaluation``, ``overall_lessons``,
    ``annex``). Every figure is for the report's period as the data stood at its cut-off
    (``reports.period``)."""
    network_ids = sorted(report.networks.values_list("pk", flat=True))
    window = Window.of(report.period_start, report.period_end, report.data_cutoff)
    agreement = report.agreement
    with translation.override(report.language):
        period = figures.Period(network_ids, window, user=report.requested_by)
        facts = figures.network_facts(period)
        members = figures.members_by_network(period)
        board = figures.boards(network_ids, on=window.as_of_date, with_names=report.lists_people)
        events = figures.events_by_network(period)
        upcoming = figures.next_period_by_network(period)
        media = figures.media_by_network(period)
        ratings = figures.trainer_ratings(period)
        speakers = figures.speakers_by_network(period, ratings)
        # Small groups are withheld in the donor report, as on the survey pages.
        smallest = 1 if report.lists_people else MIN_GROUP_SIZE
        needs = figures.needs_by_network(period, min_respondents=smallest)
        trainings = figures.prepost_by_network(period, user=report.requested_by, min_pairs=smallest)
        lessons = figures.lessons_by_network(network_ids, window)
        plans = figures.plan_items_by_network(period)
        listed = figures.member_list(period) if report.lists_people else {}
        sections = [
            {
                **fact,
                **members[fact["id"]],
                "board": board[fact["id"]],
                "events": events[fact["id"]],
                "next_period": upcoming[fact["id"]],
                "media": media[fact["id"]],
                "speakers": speakers[fact["id"]],
                "needs": needs[fact["id"]],
                "trainings": trainings[fact["id"]],
                "lessons": lessons[fact["id"]],
                "plan_items": plans[fact["id"]],
                "members_listed": listed.get(fact["id"], []),
            }
            for fact in facts
        ]
        overall = figures.overall_lessons(window)
        annex = figures.trainings_annex(period, min_group=smallest)
        changes = {t["event_id"]: t for ts in trainings.values() for t in ts}
        for row in annex:
            knowledge = (changes.get(row["event_id"]) or {}).get("measures") or []
            if knowledge and not knowledge[0]["hidden"]:
                row["knowledge_change"] = knowledge[0]["change"]
                row["pairs"] = knowledge[0]["pairs"]
        if not report.lists_people:
            _apply_small_cells(annex)
        all_speakers = {sp["id"]: sp for section in sections for sp in section["speakers"]}
        return {
            "cover": _cover(report, agreement),
            "summary": figures.summary(period),
            "planned_vs_delivered": figures.planned_vs_delivered(period, indicators.kind_targets(agreement)),
            "results": indicators.results_framework(agreement, period) if agreement else [],
            "networks": sections,
            "evaluation": figures.evaluation_results(period, min_respondents=smallest),
            "trainer_ratings": sorted(
                (sp for sp in all_speakers.values() if sp["rating"]), key=lambda sp: sp["full_name"]
            ),
            "overall_lessons": overall,
            "annex": {"trainings": annex},
        }


def _apply_small_cells(annex: list[dict[str, Any]]) -> None:
    """The small-group rule (``portal.privacy``) on the annex's participant groups."""
    for row in annex:
        for key in ("members", "guests", "ethnic_minority", "young"):
            row[key] = shown_count(row[key])


def _cover(report: ReportRequest, agreement: DonorAgreement | None) -> dict[str, Any]:
    if agreement is None:
        return {"agreement": None, "free_text": report.donor_agreement}
    return {
        "agreement": {
            "donor": agreement.donor,
            "number": agreement.number,
            "title": figures.text(agreement.title_vi, agreement.title_en),
            "project": figures.text(agreement.project_vi, agreement.project_en),
            "summary": figures.text(agreement.summary_vi, agreement.summary_en),
            "signed_on": agreement.signed_on,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "amendments": [
                {"number": a.number, "signed_on": a.signed_on, "summary": figures.text(a.summary_vi, a.summary_en)}
                for a in agreement.amendments.all()
            ],
            "budget_lines": [
                {
                    "code": b.code,
                    "label": figures.text(b.label_vi, b.label_en),
                    "amount": b.amount,
                    "currency": b.currency,
                }
                for b in agreement.budget_lines.all()
            ],
        },
        "free_text": report.donor_agreement,
    }


def _chart_number(value: float) -> str:
    """A chart tick in the active language's number format (e.g. "3,5" in Vietnamese)."""
    if float(value).is_integer():
        return number_format(int(value))
    return number_format(round(value, 2), decimal_pos=1)


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
                number_format=_chart_number,
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
                        [m["label"] for m in shown],
                        [m["mean_before"] or 0 for m in shown],
                        [m["mean_after"] or 0 for m in shown],
                        before_label=_("Before"),
                        after_label=_("After"),
                        title=wrap_label(training["title"]["text"], 70),
                        number_format=_chart_number,
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
                "small_cells": not report.lists_people,
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
        _sheet(
            workbook,
            _("Planned vs delivered"),
            [_("Network"), _("Province"), _("Kind"), _("Target"), _("Planned in the period"), _("Delivered")],
            [
                [r["network"], r["province"], r["kind"], r["target"], r["planned"], r["delivered"]]
                for r in content["planned_vs_delivered"]
            ],
        )
        framework_rows = []
        for outcome in content["results"]:
            for level in [outcome, *outcome["outputs"]]:
                for ind in level["indicators"]:
                    framework_rows.append(
                        [
                            level["code"],
                            ind["code"],
                            ind["name"]["text"],
                            ind["unit"],
                            ind["baseline"],
                            "",
                            ind["target"],
                            ind["actual"],
                            ind["status_label"],
                        ]
                    )
                    for row in ind["provinces"]:
                        framework_rows.append(
                            [
                                level["code"],
                                ind["code"],
                                ind["name"]["text"],
                                ind["unit"],
                                "",
                                row["province"],
                                row["target"],
                                row["actual"],
                                row["status_label"],
                            ]
                        )
        _sheet(
            workbook,
            _("Results framework"),
            [
                _("Result"),
                _("Indicator"),
                _("Name"),
                _("Unit"),
                _("Baseline"),
                _("Province"),
                _("Target"),
                _("Actual"),
                _("Status"),
            ],
            framework_rows,
        )
        _sheet(
            workbook,
            _("Trainings (annex)"),
            [
                _("Training"),
                _("Starts"),
                _("Ends"),
                _("Networks"),
                _("Attended"),
                _("Members"),
                _("Guests"),
                _("Ethnic minority"),
                _("Young potential leaders"),
                _("Knowledge change"),
                _("Matched pairs"),
            ],
            [
                [
                    t["title"]["text"],
                    t["starts"],
                    t["ends"],
                    t["networks"],
                    t["attended"],
                    t["members"],
                    t["guests"],
                    t["ethnic_minority"],
                    t["young"],
                    t["knowledge_change"],
                    t["pairs"],
                ]
                for t in content["annex"]["trainings"]
            ],
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
                    seat["tasks"]["text"],
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
                _("Funding"),
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
                    e["title"]["text"],
                    e["kind"],
                    e["funding"],
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
                [n["name"], m["outlet"], m["published_on"], m["title"], m["url"], m["event"]["text"]]
                for n in nets
                for m in n["media"]
            ],
        )
        _sheet(
            workbook,
            _("Needs-survey highlights"),
            [
                _("Network"),
                pgettext("number of", "Surveys"),
                _("Respondents"),
                _("Need"),
                _("Chosen by"),
                _("Share (%)"),
            ],
            [
                [
                    n["name"],
                    n["needs"]["surveys"],
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
                    t["title"]["text"],
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
                entry["achievements"]["text"],
                entry["difficulties"]["text"],
                entry["lessons"]["text"],
                entry["next_steps"]["text"],
            ]
            for n in nets
            for entry in n["lessons"]
        ] + [
            [
                _("Overall"),
                entry["period_start"],
                entry["period_end"],
                entry["achievements"]["text"],
                entry["difficulties"]["text"],
                entry["lessons"]["text"],
                entry["next_steps"]["text"],
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
