"""Thin Celery wrappers around reports.services."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from reports.services import report_fail, report_failure_reason, report_generate

logger = logging.getLogger(__name__)

# Database hiccups and lost connections are worth another try; anything else is a bug
# or bad data, which the requester should see at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    default_retry_delay=5,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def generate_report(self, report_id: int) -> str:  # noqa: ANN001 - bound task
    """Generate report ``report_id``; return its final status."""
    try:
        return report_generate(report_id=report_id).status
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            logger.warning("report %s: transient error, retrying: %s", report_id, exc)
            if self.request.is_eager:
                # In-process (no REDIS_URL) the retry runs here and now; do not raise
                # into the web request that queued the report.
                return self.apply(args=(report_id,), retries=self.request.retries + 1).result
            raise self.retry(exc=exc, countdown=5 * (2**self.request.retries)) from exc
        return report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc)).status
    except (SoftTimeLimitExceeded, Exception) as exc:
        logger.exception("report %s failed", report_id)
        return report_fail(report_id=report_id, reason=report_failure_reason(report_id=report_id, exc=exc)).status


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def send_quarter_reminders() -> int:
    """Daily: remind provincial staff of quarterly reports due soon (see the service)."""
    from reports.services import quarter_send_reminders

    return quarter_send_reminders()
