"""Reads for reports, always scoped through ``visible_to``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from events.models import Topic
from networks.models import BoardTerm, DonorAgreement, Indicator, Network, PlannedActivity, Result
from portal.rules import may
from reports.models import LessonsLearned, QuarterlySubmission, ReportRequest
from reports.period import Window, period_events


def report_list_for(user: Any) -> QuerySet[ReportRequest]:
    """Report requests the user may see, newest first, without the file contents."""
    return (
        ReportRequest.objects.visible_to(user)
        .defer("pdf", "xlsx")
        .select_related("requested_by", "province")
        .prefetch_related("networks")
    )


def lessons_list_for(user: Any) -> QuerySet[LessonsLearned]:
    """Lessons-learned entries the user may see (overall sections: central staff only)."""
    return LessonsLearned.objects.visible_to(user).select_related("network__province", "author")


def missing_translations(
    *, network_ids: Sequence[int], start: date, end: date, agreement: DonorAgreement | None = None
) -> list[dict[str, str]]:
    """Narrative texts an English report over these networks and period would print in
    Vietnamese (their English field is empty): each as ``{"what", "item"}``, in report
    order. Reads what the report reads (events of the period, lessons learned, boards,
    plans, the agreement and its results framework); a handful of queries."""
    missing: list[dict[str, str]] = []

    def add(what: str, vi: str, en: str) -> None:
        if vi.strip() and not en.strip():
            missing.append({"what": what, "item": vi})

    if agreement is not None:
        add(_("Agreement title"), agreement.title_vi, agreement.title_en)
        add(_("Project"), agreement.project_vi, agreement.project_en)
        add(_("Agreement summary"), agreement.summary_vi, agreement.summary_en)
        for amendment in agreement.amendments.all():
            add(_("Amendment"), amendment.summary_vi, amendment.summary_en)
        for result in Result.objects.filter(agreement=agreement):
            add(result.get_level_display(), result.statement_vi, result.statement_en)
        for indicator in Indicator.objects.filter(result__agreement=agreement):
            add(_("Indicator"), indicator.name_vi, indicator.name_en)
    window = Window.of(start, end)
    delivered, upcoming = period_events(network_ids, window)
    for event in delivered + upcoming:
        add(_("Event title"), event.title, event.title_en)
    for topic in Topic.objects.filter(events__in=[e.pk for e in delivered]).distinct():
        add(_("Topic"), topic.name, topic.name_en)
    lessons = LessonsLearned.objects.filter(period_start__lte=end, period_end__gte=start).filter(
        Q(network_id__in=network_ids) | Q(network__isnull=True)
    )
    for entry in lessons.select_related("network"):
        where = entry.network.name if entry.network_id else str(_("Overall section"))
        for field in ("achievements", "difficulties", "lessons", "next_steps"):
            add(
                f"{where}: {LessonsLearned._meta.get_field(field).verbose_name}",
                getattr(entry, field),
                getattr(entry, f"{field}_en"),
            )
    for term in BoardTerm.objects.filter(network_id__in=network_ids, starts_on__lte=end).select_related("network"):
        add(
            _("%(network)s: how the board was elected") % {"network": term.network.name},
            term.how_elected,
            term.how_elected_en,
        )
    for activity in PlannedActivity.objects.filter(
        plan__network_id__in=network_ids, plan__year__gte=start.year, plan__year__lte=end.year
    ).select_related("plan__network"):
        add(_("%(network)s: plan item") % {"network": activity.plan.network.name}, activity.title, activity.title_en)
    return missing


def quarterly_list_for(
    user: Any, *, year: int | None = None, quarter: int | None = None
) -> QuerySet[QuarterlySubmission]:
    """Quarterly reports the user may see (central staff: all; provincial staff: her
    province's), newest quarter first, by province."""
    rows = QuarterlySubmission.objects.visible_to(user).select_related("network__province", "report")
    if year:
        rows = rows.filter(year=year)
    if quarter:
        rows = rows.filter(quarter=quarter)
    return rows


def quarterly_status(submission: QuarterlySubmission, today: date) -> str:
    """The status the central page shows: due, submitted, late, returned or accepted
    ("late" overrides due and returned once the due date has passed)."""
    if submission.status in (
        QuarterlySubmission.Status.DUE,
        QuarterlySubmission.Status.RETURNED,
    ) and submission.is_late(today):
        return "late"
    return submission.status


def quarterly_steps(submission: QuarterlySubmission) -> list[dict[str, Any]]:
    """Each step of a quarterly report from its history: when, who, which status, comment."""
    steps = []
    previous = None
    records = submission.history.order_by("history_date", "history_id").select_related("submitted_by", "reviewed_by")
    for record in records:
        if record.status != previous:
            submitted = record.status == QuarterlySubmission.Status.SUBMITTED
            steps.append(
                {
                    "when": record.history_date,
                    "who": record.submitted_by if submitted else record.reviewed_by,
                    "status": record.status,
                    "label": QuarterlySubmission.Status(record.status).label,
                    "comment": record.review_comment if record.status == QuarterlySubmission.Status.RETURNED else "",
                }
            )
            previous = record.status
    return steps


def results_for(*, user: Any, agreement: DonorAgreement, start: date, end: date) -> dict[str, Any]:
    """The results-framework rows of ``agreement`` over the networks it covers that the
    user may see, for ``start``–``end`` as of now: the rows the donor report prints."""
    from reports.figures import Period
    from reports.indicators import results_framework

    network_ids = list(
        Network.objects.visible_to(user).filter(agreements=agreement).values_list("pk", flat=True).order_by("pk")
    )
    period = Period(network_ids, Window.of(start, end), user=user)
    rows = results_framework(agreement, period, network_provinces_only=not may(user, "report_nationally"))
    return {"results": rows, "start": start, "end": end}
