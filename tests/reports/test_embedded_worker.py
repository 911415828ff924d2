"""`make run` without Redis: a real Celery worker beside the web server on a queue in
files. Requesting the 3-network donor report returns at once and the report completes
in the background, rendered in parts and merged by the worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from django.db import connection

from reports.models import ReportPart, ReportRequest
from reports.services import report_request
from tests.factories import MembershipFactory, NetworkFactory, province

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        pytest.skip("the worker process cannot share SQLite's in-memory test database")
    return (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )


@pytest.fixture
def embedded_queue(tmp_path):
    """This process publishes to the file queue that `make run`'s worker reads."""
    from portal.celery import app

    folders = {name: tmp_path / name for name in ("queue", "processed", "results", "control")}
    for folder in folders.values():
        folder.mkdir()
    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    yield tmp_path
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def _start_embedded_worker(data_dir) -> subprocess.Popen:  # noqa: ANN001
    environment = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_EMBEDDED": "true"}
    environment["CELERY_DATA_DIR"] = str(data_dir)
    environment.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-c", "2", "-l", "warning"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "embedded@%h"]
    return subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603


def test_make_run_worker_completes_the_donor_report_in_the_background(central_staff, reference_data, embedded_queue):
    networks = [
        NetworkFactory(province=province(code), name=f"Mạng lưới {i}")
        for i, code in enumerate(("hung_yen", "nghe_an", "quang_ngai"))
    ]
    for network in networks:
        MembershipFactory.create_batch(3, network=network)
    worker = _start_embedded_worker(embedded_queue)
    try:
        started = time.monotonic()
        report = report_request(
            user=central_staff,
            kind="donor",
            networks=networks,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            language="en",
        )
        assert time.monotonic() - started < 2.0  # queued, not generated, in the request
        report.refresh_from_db()
        assert report.status in ("queued", "running")
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and report.status not in ("done", "failed"):
            time.sleep(0.5)
            report.refresh_from_db()
        assert report.status == ReportRequest.Status.DONE, (report.status, report.error)
        assert bytes(report.pdf).startswith(b"%PDF") and report.completions == 1
        assert ReportPart.objects.filter(report=report, kind="network").count() == 3
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:  # as `make run` does: a warm stop, then a hard one
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=15)
