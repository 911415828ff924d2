"""Reads for reports, always scoped through ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reports.models import LessonsLearned, ReportRequest


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
