"""Needs-survey highlights and pre/post change per training: the surveys app's selectors,
small groups withheld in the donor report, a chart per training."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from events.models import Event
from members.models import Person
from reports import figures
from reports.services import report_generate
from surveys.models import MIN_GROUP_SIZE, SurveyTemplate
from surveys.selectors import prepost_analysis, top_needs_for_network
from tests.reports.factories import make_report, period_of
from tests.reports.test_generation import pdf_text
from tests.surveys.conftest import make_member, shipped_templates  # noqa: F401 - fixtures
from tests.surveys.factories import deploy
from tests.surveys.test_needs_to_plan import _answer
from tests.surveys.test_prepost import training as planned_training  # noqa: F401 - 30 matched pairs in network A

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture
def training(planned_training):  # noqa: F811
    """The surveys app's training, held yesterday: reports count only delivered events."""
    now = timezone.now()
    Event.objects.filter(pk=planned_training.pk).update(
        status=Event.Status.HELD, starts_at=now - timedelta(days=1, hours=8), ends_at=now - timedelta(days=1)
    )
    planned_training.refresh_from_db()
    return planned_training


@pytest.fixture
def needs_answered(shipped_templates, network_a, network_b):  # noqa: F811
    """Network A: 5 respondents (enough to show); network B: 2 (withheld from donors)."""
    needs = SurveyTemplate.objects.get(family="needs-survey")
    deployment_a = deploy(needs, network=network_a)
    for skills in (["protocol", "fta"], ["protocol"], ["protocol", "culture"], ["fta"], ["culture"]):
        _answer(deployment_a, network_a, skills)
    deployment_b = deploy(needs, network=network_b)
    for skills in (["culture"], ["fta"]):
        _answer(deployment_b, network_b, skills)
    return network_a, network_b


def test_needs_section_is_the_survey_pages_top_needs(needs_answered):
    network_a, network_b = needs_answered
    donor = figures.needs_by_network(period_of([network_a, network_b]), min_respondents=MIN_GROUP_SIZE)
    top = top_needs_for_network(network_a)
    assert donor[network_a.pk]["respondents"] == top["respondents"] == 5
    assert donor[network_a.pk]["needs"] == top["needs"]
    assert donor[network_b.pk]["hidden"] and donor[network_b.pk]["needs"] == []
    provincial = figures.needs_by_network(period_of([network_b]), min_respondents=1)
    assert provincial[network_b.pk]["needs"] == top_needs_for_network(network_b)["needs"]


def test_prepost_section_is_the_training_pages_analysis(training, network_a, central_staff):  # noqa: F811
    with translation.override("en"):  # as reports do: labels and numbers in the report's language
        section = figures.prepost_by_network(period_of([network_a]), user=central_staff, min_pairs=MIN_GROUP_SIZE)
    [entry] = section[network_a.pk]
    with translation.override("en"):
        page = prepost_analysis(event=training, user=central_staff)
    assert entry["title"]["text"] == training.title and entry["pre_responses"] == 32 and entry["post_responses"] == 30
    assert [(m["label"], m["pairs"], m["mean_before"], m["mean_after"], m["change"]) for m in entry["measures"]] == [
        (str(m.label), m.pairs, m.mean_before, m.mean_after, m.change) for m in page["measures"] if m.pairs
    ]
    assert entry["measures"][0]["p_value"] == pytest.approx(page["measures"][0].p_value, rel=1e-2)
    assert entry["measures"][0]["p_text"] == "< 0.001"  # 0.0001 < p < 0.0002 by hand
    withheld = figures.prepost_by_network(period_of([network_a]), user=central_staff, min_pairs=31)
    assert all(m["hidden"] and m["mean_after"] is None for m in withheld[network_a.pk][0]["measures"])


def test_donor_report_shows_needs_and_prepost_chart_without_names(
    training,  # noqa: F811
    needs_answered,
    central_staff,
):
    network_a, network_b = needs_answered
    report = make_report([network_a, network_b], kind="donor", language="vi", requested_by=central_staff)
    report = report_generate(report_id=report.pk)
    text = pdf_text(bytes(report.pdf))
    assert "Lễ tân và giao tiếp đối ngoại" in text  # network A's top need
    assert "Ít hơn 5 người trả lời" in text  # network B's, withheld
    assert training.title in text and "Trước" in text and "Sau" in text  # the paired chart's legend
    names = list(Person.objects.filter(memberships__network=network_a).values_list("full_name", flat=True)[:5])
    assert len(names) == 5 and not any(name in text for name in names)
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    rows = list(workbook["Thay đổi trước-sau"].iter_rows(values_only=True))
    assert rows[1][1] == training.title and rows[1][4] == 30
