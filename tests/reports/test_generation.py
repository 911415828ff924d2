"""Generating a report: figures, PDF, workbook, idempotency and failure."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import ReportRequest
from reports.services import ReportStateError, report_check_transition, report_fail, report_generate
from reports.tasks import generate_report
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace (including table-cell line wraps) collapsed."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_donor_report_has_figures_sections_and_no_personal_data(populated_networks):
    network_a, network_b = populated_networks
    report = report_generate(report_id=make_report([network_a, network_b], kind="donor", language="vi").pk)

    assert report.status == ReportRequest.Status.DONE
    assert report.figures["networks"] == 2
    assert report.figures["members"] == 6  # the candidate is not a member
    assert report.figures["events"] == 2  # the 2025 event is outside the period
    assert report.figures["event_days"] == 3
    assert report.figures["ethnic_minority_members"] == "<5"  # 3: a small group (issue 11)
    assert report.figures["ethnic_minority_share"] is None
    text = pdf_text(bytes(report.pdf))
    assert "Mạng lưới tỉnh A" in text and "Mạng lưới tỉnh B" in text
    assert "Mục lục" in text  # table of contents, in Vietnamese
    assert "Thành tựu nổi bật của tỉnh A" in text and "Bài học chung toàn dự án" in text
    assert "Tập huấn kỹ năng lãnh đạo" in text
    assert "Hà Thị Riêng Tư" not in text
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert "Mạng lưới" in workbook.sheetnames
    cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Hà Thị Riêng Tư" not in cells
    assert report.data_cutoff and report.started_at <= report.finished_at and report.portal_version


def test_provincial_report_lists_members_and_comes_in_english(populated_networks):
    network_a, _ = populated_networks
    report = report_generate(report_id=make_report([network_a], language="en").pk)
    text = pdf_text(bytes(report.pdf))
    assert "Hà Thị Riêng Tư" in text
    assert "Contents" in text and "Member list" in text
    assert "Mạng lưới tỉnh B" not in text
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert workbook.sheetnames == [
        "Summary",
        "Events by kind",
        "Planned vs delivered",
        "Results framework",
        "Trainings (annex)",
        "Networks",
        "Board",
        "Members by category",
        "Members by ethnic group",
        "Members by age",
        "Events",
        "Trainers and speakers",
        "Media coverage",
        "Needs-survey highlights",
        "Pre-post change",
        "Lessons learned",
        "Member list",
    ]


def test_workbook_neutralises_formula_cells(network_a):
    from tests.factories import MembershipFactory

    MembershipFactory(network=network_a, person__full_name="=HYPERLINK(1)")
    report = report_generate(report_id=make_report([network_a]).pk)
    cells = [
        c
        for row in load_workbook(io.BytesIO(bytes(report.xlsx)))["Danh sách thành viên"].iter_rows(values_only=True)
        for c in row
    ]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells


def test_generating_twice_completes_once(populated_networks):
    report = make_report(populated_networks[:1])
    first = report_generate(report_id=report.pk)
    second = report_generate(report_id=report.pk)
    assert first.status == second.status == ReportRequest.Status.DONE
    assert second.attempts == 1 and second.completions == 1
    assert second.finished_at == first.finished_at


def test_an_overtaken_attempt_cannot_complete(populated_networks, monkeypatch):
    """A worker presumed dead that wakes up after another attempt started leaves the
    report to that attempt."""
    import reports.services as services

    report = make_report(populated_networks[:1])

    def another_attempt_takes_over() -> None:
        ReportRequest.objects.filter(pk=report.pk).update(attempts=5)

    monkeypatch.setattr(services, "_pause_for_tests", another_attempt_takes_over)
    result = report_generate(report_id=report.pk)
    assert result.status == ReportRequest.Status.RUNNING and result.completions == 0 and result.pdf is None


def test_a_failing_report_shows_a_readable_reason(network_a, monkeypatch):
    import reports.documents as documents

    def broken(*args, **kwargs):
        raise ValueError("không đọc được dữ liệu")

    monkeypatch.setattr(documents, "render_report_html", broken)
    report = make_report([network_a])
    assert generate_report.delay(report.pk).get() == "failed"
    report.refresh_from_db()
    assert report.status == ReportRequest.Status.FAILED
    assert "Không tạo được báo cáo" in report.error and "không đọc được dữ liệu" in report.error
    assert report_fail(report_id=report.pk, reason="x").error == report.error  # finished stays finished


def test_finished_reports_cannot_run_again():
    with pytest.raises(ReportStateError):
        report_check_transition(old="done", new="running")
    with pytest.raises(ReportStateError):
        report_check_transition(old="failed", new="done")
    report_check_transition(old="queued", new="running")


def test_a_transient_error_is_retried(network_a, monkeypatch):
    from django.db import OperationalError

    import reports.documents as documents

    real = documents.render_report_xlsx
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "render_report_xlsx", flaky)
    report = make_report([network_a])
    generate_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == ReportRequest.Status.DONE
    assert report.attempts == 2 and report.completions == 1 and len(calls) == 2


def test_a_report_over_the_time_limit_fails_with_a_reason(network_a, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    import reports.documents as documents

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(documents, "report_content", too_slow)
    report = make_report([network_a], language="en")
    generate_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == ReportRequest.Status.FAILED and report.pdf is None
    assert report.error == "The report took longer than the time limit. Try a shorter period or fewer networks."


def test_time_limits_and_late_acknowledgement_are_set():
    assert generate_report.acks_late and generate_report.reject_on_worker_lost
    assert 0 < generate_report.soft_time_limit < generate_report.time_limit
