"""The quarterly reporting cycle: submit, return with comments, resubmit, accept; late
reports; reminders; who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.models import QuarterlySubmission, ReportRequest
from reports.selectors import quarterly_status, quarterly_steps
from reports.services import quarter_open, quarter_review, quarter_send_reminders, quarter_submit

pytestmark = pytest.mark.django_db
S = QuarterlySubmission.Status


@pytest.fixture
def opened(central_staff, network_a, network_b):
    due = timezone.localdate() + timedelta(days=3)
    subs = quarter_open(user=central_staff, year=2026, quarter=3, due_on=due)
    return {s.network_id: s for s in subs}


def test_central_staff_open_a_quarter_for_every_active_network_once(central_staff, opened, network_a, network_b):
    assert set(opened) == {network_a.pk, network_b.pk}
    again = quarter_open(user=central_staff, year=2026, quarter=3)
    assert QuarterlySubmission.objects.count() == 2 and {s.pk for s in again} == {s.pk for s in opened.values()}


def test_provincial_staff_cannot_open_a_quarter(staff_a):
    with pytest.raises(PermissionDenied):
        quarter_open(user=staff_a, year=2026, quarter=3)


def test_submit_return_resubmit_accept(opened, staff_a, central_staff, network_a):
    sub = opened[network_a.pk]
    sub = quarter_submit(user=staff_a, submission=sub, narrative="Quý 3: hai lớp tập huấn.")
    assert sub.status == S.SUBMITTED and sub.report.kind == ReportRequest.Kind.PROVINCIAL
    assert (sub.report.period_start, sub.report.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
    with pytest.raises(ValidationError):
        quarter_review(user=central_staff, submission=sub, accept=False, comment="  ")
    sub = quarter_review(user=central_staff, submission=sub, accept=False, comment="Thiếu số liệu tập huấn.")
    assert sub.status == S.RETURNED and sub.review_comment == "Thiếu số liệu tập huấn."
    sub = quarter_submit(user=staff_a, submission=sub, narrative="Đã bổ sung số liệu.")
    sub = quarter_review(user=central_staff, submission=sub, accept=True)
    assert sub.status == S.ACCEPTED
    steps = [step["status"] for step in quarterly_steps(sub)]
    assert steps == ["due", "submitted", "returned", "submitted", "accepted"]
    with pytest.raises(ValidationError):
        quarter_submit(user=staff_a, submission=sub, narrative="Lần nữa")


def test_an_empty_narrative_changes_nothing(opened, staff_a, network_a):
    with pytest.raises(ValidationError):
        quarter_submit(user=staff_a, submission=opened[network_a.pk], narrative=" ")
    assert QuarterlySubmission.objects.get(pk=opened[network_a.pk].pk).status == S.DUE
    assert not ReportRequest.objects.exists()


def test_staff_of_another_province_cannot_submit_or_review(opened, staff_b, staff_a, network_a):
    with pytest.raises(PermissionDenied):
        quarter_submit(user=staff_b, submission=opened[network_a.pk], narrative="Không phải tỉnh tôi")
    sub = quarter_submit(user=staff_a, submission=opened[network_a.pk], narrative="Báo cáo")
    with pytest.raises(PermissionDenied):
        quarter_review(user=staff_a, submission=sub, accept=True)


def test_late_after_the_due_date_and_when_submitted_late(opened, staff_a, network_a, network_b):
    today = timezone.localdate()
    sub_b = opened[network_b.pk]
    assert quarterly_status(sub_b, today) == "due"
    assert quarterly_status(sub_b, sub_b.due_on + timedelta(days=1)) == "late"
    QuarterlySubmission.objects.filter(pk=opened[network_a.pk].pk).update(due_on=today - timedelta(days=1))
    sub_a = quarter_submit(
        user=staff_a, submission=QuarterlySubmission.objects.get(pk=opened[network_a.pk].pk), narrative="Muộn"
    )
    assert quarterly_status(sub_a, today) == "submitted" and sub_a.is_late(today)


def test_reminders_go_once_to_the_province_before_the_due_date(opened, staff_a, staff_b):
    assert quarter_send_reminders(today=timezone.localdate() - timedelta(days=10)) == 0
    assert quarter_send_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff_a.email, staff_b.email])
    assert "Nhắc" in mail.outbox[0].subject or "Reminder" in mail.outbox[0].subject
    assert quarter_send_reminders() == 0


def test_status_page_shows_only_own_province_to_provincial_staff(client_for, opened, staff_a, network_a, network_b):
    response = client_for(staff_a).get(reverse("reports:quarterly"))
    assert response.status_code == 200
    assert network_a.name in response.text and network_b.name not in response.text


def test_other_provinces_quarterly_report_is_404(client_for, opened, staff_b, network_a):
    url = reverse("reports:quarterly_detail", args=[opened[network_a.pk].pk])
    assert client_for(staff_b).get(url).status_code == 404


def test_members_and_donors_cannot_reach_the_cycle(client_for, member_a, donor_viewer, opened):
    for user in (member_a, donor_viewer):
        assert client_for(user).get(reverse("reports:quarterly")).status_code in (403, 404)
