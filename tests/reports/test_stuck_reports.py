"""The periodic check re-queues reports whose worker or message was lost, and fails them
with a reason once their attempts are spent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import ReportRequest
from reports.services import MAX_ATTEMPTS, reports_requeue_stuck
from reports.tasks import requeue_stuck_reports
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(hours=2)


def test_a_report_queued_long_ago_is_queued_again_and_completes(network_a, django_capture_on_commit_callbacks):
    report = make_report([network_a])
    ReportRequest.objects.filter(pk=report.pk).update(requested_at=LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_requeue_stuck() == {"requeued": 1, "failed": 0}
    report.refresh_from_db()
    assert report.status == ReportRequest.Status.DONE and report.completions == 1


def test_a_running_report_past_its_attempts_fails_with_a_reason(network_a):
    report = make_report([network_a], language="en")
    ReportRequest.objects.filter(pk=report.pk).update(status="running", attempts=MAX_ATTEMPTS, started_at=LONG_AGO)
    assert requeue_stuck_reports.delay().get() == {"requeued": 0, "failed": 1}
    report.refresh_from_db()
    assert report.status == ReportRequest.Status.FAILED
    assert "stopped responding" in report.error


def test_a_report_running_within_its_time_limit_is_left_alone(network_a):
    report = make_report([network_a])
    ReportRequest.objects.filter(pk=report.pk).update(status="running", attempts=1, started_at=timezone.now())
    assert reports_requeue_stuck() == {"requeued": 0, "failed": 0}
    assert ReportRequest.objects.get(pk=report.pk).status == "running"


def test_the_check_is_scheduled():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["requeue-stuck-reports"]["task"] == "reports.tasks.requeue_stuck_reports"
