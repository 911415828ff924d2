"""Issue 15: English words that mean different things get a message context, so each
place reads right in Vietnamese — a quarterly report is "nộp" (handed in) and "chấp nhận"
(accepted by central staff), while an invitation is "nhận lời" and a questionnaire "gửi"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from events.models import Invitation
from reports.models import QuarterlySubmission
from surveys.models import Response


def test_quarterly_report_states_are_worded_as_a_report_s():
    with translation.override("vi"):
        assert str(QuarterlySubmission.Status.SUBMITTED.label) == "Đã nộp"
        assert str(QuarterlySubmission.Status.ACCEPTED.label) == "Đã chấp nhận"
        assert str(QuarterlySubmission._meta.get_field("submitted_at").verbose_name) == "thời điểm nộp"
        # The same English elsewhere keeps its own sense.
        assert str(Invitation.Status.ACCEPTED.label) == "Nhận lời"
        assert str(Response.Status.SUBMITTED.label) == "Đã gửi"


def test_a_term_runs_from_one_date_to_another_not_to_a_recipient():
    with translation.override("vi"):
        assert pgettext("date range", "to") == "đến"
        assert pgettext("number of", "Surveys") == "Số khảo sát"


@pytest.mark.django_db
def test_the_quarterly_list_says_submitted_as_handed_in(client_for, central_staff):
    page = client_for(central_staff).get(reverse("reports:quarterly")).content.decode()
    assert "Thời điểm nộp" in page and "Gửi lúc" not in page
