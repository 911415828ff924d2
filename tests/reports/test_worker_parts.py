"""Real workers render a donor report in parts: a worker killed while rendering one part
is replaced, the part is rendered again, and the merged PDF has continuous page numbers
and contents with no page twice."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import date

import pytest

from reports.models import ReportPart, ReportRequest
from reports.services import report_request
from tests.reports.test_parts import assert_continuous
from tests.reports.test_worker import _kill, _start_worker, _wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]


def _wait_until(condition, timeout: float) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail("timed out")


def test_a_killed_part_is_rendered_again_without_duplicating_pages(central_staff, populated_networks):
    from portal.celery import app

    app.control.purge()
    network_a, network_b = populated_networks
    workers: list[subprocess.Popen] = []
    try:
        # A slow worker renders the cover and front matter, then dies inside a network part.
        workers.append(_start_worker("doomed", REPORTS_TEST_PART_DELAY_SECONDS="60"))
        report = report_request(
            user=central_staff,
            kind="donor",
            networks=[network_a, network_b],
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            language="vi",
        )
        rendered = ReportPart.objects.filter(report=report, pdf__isnull=False)
        _wait_until(lambda: rendered.filter(kind="front").exists(), timeout=90)
        time.sleep(2)  # now inside the first network part's render
        assert not rendered.filter(kind="network").exists()
        _kill(workers[0], signal.SIGKILL)

        # The replacement gets the part back, renders it, and the chord merges once.
        workers.append(_start_worker("replacement"))
        report = _wait_for(report, {"done", "failed"}, timeout=120)
        assert report.status == ReportRequest.Status.DONE, report.error
        assert report.attempts == 1 and report.completions == 1
        parts = ReportPart.objects.filter(report=report)
        # A part may be rendered more than once (redelivered after the dead worker, or
        # after the short visibility timeout of this test): it overwrites itself.
        assert all(n >= 1 for n in parts.filter(kind="network").values_list("renders", flat=True))
        pages = assert_continuous(report, [network_a.name, network_b.name])
        assert len(pages) == sum(parts.values_list("pages", flat=True))
    finally:
        for worker in workers:
            _kill(worker)
