"""Pre/post analysis of one training against a hand-computed fixture of 30 matched pairs."""

from __future__ import annotations

import math

import pytest
from django.urls import reverse

from surveys.models import Deployment, SurveyTemplate
from surveys.selectors import prepost_analysis
from surveys.services import AnswerInput, response_save
from tests.factories import EventFactory
from tests.surveys.factories import deploy

pytestmark = pytest.mark.django_db

# Knowledge scores (correct answers out of 5) of 30 participants, before and after.
BEFORE = [1, 2, 2, 3, 1, 0, 2, 3, 4, 2, 1, 3, 2, 2, 1, 0, 3, 2, 1, 2, 4, 3, 2, 1, 2, 3, 1, 2, 0, 3]
AFTER = [3, 4, 1, 4, 3, 2, 3, 2, 5, 4, 2, 4, 4, 3, 3, 1, 4, 4, 2, 2, 2, 5, 3, 2, 3, 4, 3, 3, 2, 3]
# Worked by hand: sum before 58, after 90 -> means 1.933 and 3.0, change 1.067.
# Differences: +1 x14, +2 x11, -1 x2, -2 x1, 0 x2 -> 25 of 30 improved (83.3 %).
# Wilcoxon without the 2 zeros: n = 28; |d| = 1 sixteen times (average rank 8.5),
# |d| = 2 twelve times (ranks 17..28, average 22.5). W- = 2 x 8.5 + 22.5 = 39.5,
# W+ = 14 x 8.5 + 11 x 22.5 = 366.5 (sum 406 = 28 x 29 / 2).
# Normal approximation: mean 28 x 29 / 4 = 203; variance 28 x 29 x 57 / 24 = 1928.5
# less the tie correction (16^3 - 16 + 12^3 - 12) / 48 = 120.75 -> 1807.75.
HAND_W = 39.5
HAND_Z = (39.5 - 203) / math.sqrt(1807.75)
HAND_P = math.erfc(abs(HAND_Z) / math.sqrt(2))
# Self-confidence (every item the same value per person): 2 before, 3 after for the
# first 20, 3 before and 3 after for the other 10 -> means 2.333 and 3.0.
CONF_BEFORE = [2] * 20 + [3] * 10
CONF_AFTER = [3] * 30


def _answers(template, score: int, confidence: int) -> dict:
    answers = {}
    knowledge = list(template.questions.filter(is_knowledge=True).order_by("order"))
    for index, question in enumerate(knowledge):
        right = index < score
        option = question.options.get(is_correct=True) if right else question.options.filter(is_correct=False).first()
        answers[question.pk] = AnswerInput(options=[str(option.pk)])
    for question in template.questions.filter(is_confidence=True):
        answers[question.pk] = AnswerInput(value=str(confidence))
    return answers


@pytest.fixture
def training(shipped_templates, network_a, make_member):
    template = SurveyTemplate.objects.get(family="training-pre-post")
    event = EventFactory(networks=[network_a])
    pre = deploy(template, event=event, phase=Deployment.Phase.PRE)
    post = deploy(template, event=event, phase=Deployment.Phase.POST)
    for i in range(30):
        person = make_member(network_a)
        response_save(deployment=pre, person=person, answers=_answers(template, BEFORE[i], CONF_BEFORE[i]), submit=True)
        response_save(deployment=post, person=person, answers=_answers(template, AFTER[i], CONF_AFTER[i]), submit=True)
    # Two people answered only before the training: they are no pair.
    for _i in range(2):
        response_save(deployment=pre, person=make_member(network_a), answers=_answers(template, 5, 5), submit=True)
    return event


def test_the_analysis_matches_the_hand_computed_fixture(training, staff_a):
    analysis = prepost_analysis(event=training, user=staff_a)
    assert analysis["pre_count"] == 32 and analysis["post_count"] == 30
    knowledge, confidence = analysis["measures"][0], analysis["measures"][1]
    assert knowledge.pairs == 30
    assert knowledge.mean_before == pytest.approx(58 / 30, abs=1e-3)
    assert knowledge.mean_after == pytest.approx(3.0)
    assert knowledge.change == pytest.approx(32 / 30, abs=1e-3)
    assert knowledge.improved_share == pytest.approx(83.3)
    assert knowledge.statistic == pytest.approx(HAND_W)
    assert knowledge.p_value == pytest.approx(HAND_P, rel=1e-9)
    assert 0.0001 < knowledge.p_value < 0.0002
    assert confidence.pairs == 30
    assert confidence.mean_before == pytest.approx(70 / 30, abs=1e-3)
    assert confidence.mean_after == pytest.approx(3.0)
    assert confidence.improved_share == pytest.approx(66.7)
    # 20 differences of +1, all tied: W- = 0, z = (0 - 105) / sqrt(717.5 - (20^3 - 20) / 48).
    z = (0 - 20 * 21 / 4) / math.sqrt(20 * 21 * 41 / 24 - (20**3 - 20) / 48)
    assert confidence.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)
    assert len(analysis["measures"]) == 2 + 5, "one row per confidence item too"


def test_the_page_shows_pairs_means_and_p_value(training, staff_a, client_for):
    page = client_for(staff_a).get(reverse("surveys:prepost", args=[training.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{HAND_P:.4f}".replace(".", ",") in html or f"{HAND_P:.4f}" in html
    assert "<svg" in html


def test_staff_of_another_province_and_members_get_404(network_a, staff_a, staff_b, member_a, client_for):
    event = EventFactory(networks=[network_a])
    url = reverse("surveys:prepost", args=[event.pk])
    assert client_for(staff_a).get(url).status_code == 200, "positive control"
    assert client_for(staff_b).get(url).status_code == 404
    assert client_for(member_a).get(url).status_code == 404
