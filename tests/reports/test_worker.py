"""A real Celery worker on Redis generates a report, and a worker killed mid-task is
replaced without the report being produced twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from django.db import connection

from reports.models import ReportRequest
from reports.services import report_request
from tests.factories import MembershipFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]

# ``celery -A portal worker``, except that the worker looks for unacknowledged messages
# of dead workers every second instead of kombu's default of every 100 s (10 s interval,
# every 10th check), so the test need not wait minutes for the redelivery.
WORKER = """
from portal.celery import app
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options, "unacked_restore_interval": 1, "unacked_restore_throttle": 1
}
app.worker_main(sys.argv[1:])
"""


def _start_worker(name: str, **env: str) -> subprocess.Popen:
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        pytest.skip("the worker process cannot share SQLite's in-memory test database")
    database_url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "REPORTS_TEST_DELAY_SECONDS": "0",
        **env,
    }
    command = [sys.executable, "-c", "import sys\n" + WORKER, "worker", "-c", "1", "-n", f"{name}@%h", "-l", "warning"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603


def _kill(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=20)


def _wait_for(report: ReportRequest, statuses: set[str], timeout: float) -> ReportRequest:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        time.sleep(0.2)
    pytest.fail(f"report {report.pk} still {report.status} after {timeout} s")


def _request(user, network) -> ReportRequest:  # noqa: ANN001
    return report_request(
        user=user,
        kind="provincial",
        networks=[network],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        language="vi",
    )


def test_worker_generates_and_a_killed_worker_is_replaced(staff_a, network_a):
    from portal.celery import app

    app.control.purge()
    MembershipFactory.create_batch(3, network=network_a)
    workers: list[subprocess.Popen] = []
    try:
        # 1. A worker picks up a queued request and completes it.
        workers.append(_start_worker("first"))
        report = _wait_for(_request(staff_a, network_a), {"done", "failed"}, timeout=40)
        assert report.status == "done" and report.attempts == 1 and report.completions == 1, report.error
        assert bytes(report.pdf).startswith(b"%PDF")
        _kill(workers[0], signal.SIGTERM)

        # 2. A slow worker takes the next request and dies (SIGKILL) while running it.
        workers.append(_start_worker("doomed", REPORTS_TEST_DELAY_SECONDS="30"))
        report = _wait_for(_request(staff_a, network_a), {"running"}, timeout=40)
        assert report.attempts == 1
        _kill(workers[1])

        # 3. Its replacement gets the unacknowledged message back and finishes, once.
        workers.append(_start_worker("replacement"))
        report = _wait_for(report, {"done", "failed"}, timeout=45)
        assert report.status == "done", report.error
        assert report.attempts == 2 and report.completions == 1
        assert ReportRequest.objects.filter(status="done").count() == 2
    finally:
        for worker in workers:
            _kill(worker)
