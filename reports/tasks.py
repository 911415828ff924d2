"""Thin Celery wrappers around ``reports.pipeline`` and ``reports.services``.

A report is generated as a chord: ``generate_report`` computes the content once and cuts
the PDF into parts, one ``render_report_part`` per part runs on any free worker, and
``merge_report_parts`` joins them (continuous page numbers and contents). More workers,
faster reports; each worker holds one part in memory, not the whole report.
"""

from __future__ import annotations

import logging

from celery import chord, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from reports.services import report_fail, report_failure_reason

logger = logging.getLogger(__name__)

# Database hiccups and lost connections are worth another try; anything else is a bug
# or bad data, which the requester should see at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

LIMITS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
}


@shared_task(bind=True, max_retries=3, default_retry_delay=5, **LIMITS)
def generate_report(self, report_id: int) -> str:  # noqa: ANN001 - bound task
    """Prepare report ``report_id`` and queue its parts and their merge; return its status
    (``running`` while the parts render on workers)."""
    from reports.models import ReportRequest
    from reports.pipeline import report_prepare

    try:
        prepared = report_prepare(report_id=report_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            logger.warning("report %s: transient error, retrying: %s", report_id, exc)
            if self.request.is_eager:
                # In-process the retry runs here and now; do not raise into the caller.
                return self.apply(args=(report_id,), retries=self.request.retries + 1).result
            raise self.retry(exc=exc, countdown=5 * (2**self.request.retries)) from exc
        return report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc)).status
    except (SoftTimeLimitExceeded, Exception) as exc:
        logger.exception("report %s failed", report_id)
        return report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc)).status
    if prepared is not None:
        attempt, part_ids = prepared
        chord(render_report_part.si(report_id, part_id) for part_id in part_ids)(
            merge_report_parts.si(report_id, attempt)
        )
    return ReportRequest.objects.values_list("status", flat=True).get(pk=report_id)


@shared_task(bind=True, max_retries=3, **LIMITS)
def render_report_part(self, report_id: int, part_id: int) -> int:  # noqa: ANN001 - bound task
    """Render one part of a report to PDF (idempotent: a redelivered part overwrites
    itself). A part that cannot be rendered fails the report with a reason."""
    from reports.pipeline import report_render_part

    try:
        report_render_part(part_id=part_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=5 * (2**self.request.retries)) from exc
        report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc))
    except (SoftTimeLimitExceeded, Exception) as exc:
        logger.exception("report %s: part %s failed", report_id, part_id)
        report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc))
    return part_id


@shared_task(bind=True, max_retries=20, **LIMITS)
def merge_report_parts(self, report_id: int, attempt: int) -> str:  # noqa: ANN001 - bound task
    """Merge the rendered parts of ``attempt`` into the report's PDF; return its status."""
    from reports.pipeline import PartsMissing, report_merge

    try:
        return report_merge(report_id=report_id, attempt=attempt).status
    except (PartsMissing, *TRANSIENT_ERRORS) as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=2) from exc
        return report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc)).status
    except (SoftTimeLimitExceeded, Exception) as exc:
        logger.exception("report %s: merge failed", report_id)
        return report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc)).status


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def requeue_stuck_reports() -> dict[str, int]:
    """Periodic check: reports queued or running past the hard time limit are queued again
    (up to the retry budget) or failed with a reason. Returns the counts."""
    from reports.services import reports_requeue_stuck

    return reports_requeue_stuck()


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def send_quarter_reminders() -> int:
    """Daily: remind provincial staff of quarterly reports due soon (see the service)."""
    from reports.services import quarter_send_reminders

    return quarter_send_reminders()


@shared_task(bind=True, max_retries=3, **LIMITS)
def render_invitation_letters(self, batch_id: int) -> str:  # noqa: ANN001 - bound task
    """Render a batch of invitation letters to one PDF; return its status."""
    from reports.services import letters_fail, letters_render

    try:
        return letters_render(batch_id=batch_id).status
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=5 * (2**self.request.retries)) from exc
        letters_fail(batch_id=batch_id, reason=f"{type(exc).__name__}: {exc}")
    except (SoftTimeLimitExceeded, Exception) as exc:
        logger.exception("letters %s failed", batch_id)
        letters_fail(batch_id=batch_id, reason=f"{type(exc).__name__}: {exc}")
    return "failed"
