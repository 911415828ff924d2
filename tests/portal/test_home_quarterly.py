"""The staff home page lists quarterly reports to act on (issue 14 with issue 12's cycle):
provincial staff see their province's due and returned quarters, central staff those
waiting for review; nobody sees another province's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import QuarterlySubmission
from reports.services import quarter_open, quarter_review, quarter_submit

pytestmark = pytest.mark.django_db


def _section(client):
    response = client.get("/")
    return next(s for s in response.context["sections"] if s.key == "quarterly")


@pytest.fixture
def quarters(central_staff, network_a, network_b):
    subs = quarter_open(user=central_staff, year=2026, quarter=3, due_on=timezone.localdate() - timedelta(days=2))
    return {s.network_id: s for s in subs}


def test_provincial_staff_see_their_due_quarter_marked_overdue_and_not_another_provinces(
    client_for, staff_a, quarters, network_a, network_b
):
    section = _section(client_for(staff_a))
    assert section.count == 1
    assert section.items[0].label.startswith(network_a.name)
    assert section.items[0].url == f"/reports/quarterly/{quarters[network_a.pk].pk}/"
    assert "quá hạn" in section.items[0].detail


def test_a_returned_quarter_stays_listed_and_an_accepted_one_leaves(
    client_for, staff_a, central_staff, quarters, network_a
):
    sub = quarter_submit(user=staff_a, submission=quarters[network_a.pk], narrative="Quý 3: hai lớp.")
    assert _section(client_for(staff_a)).count == 0
    sub = quarter_review(user=central_staff, submission=sub, accept=False, comment="Thiếu số liệu.")
    assert _section(client_for(staff_a)).count == 1
    sub = quarter_submit(user=staff_a, submission=sub, narrative="Đã bổ sung.")
    quarter_review(user=central_staff, submission=sub, accept=True)
    assert QuarterlySubmission.objects.get(pk=sub.pk).status == "accepted"
    assert _section(client_for(staff_a)).count == 0


def test_central_staff_see_the_submitted_quarters_to_review(client_for, staff_a, central_staff, quarters, network_a):
    assert _section(client_for(central_staff)).count == 0
    quarter_submit(user=staff_a, submission=quarters[network_a.pk], narrative="Quý 3.")
    section = _section(client_for(central_staff))
    assert section.count == 1 and section.items[0].label.startswith(network_a.name)
