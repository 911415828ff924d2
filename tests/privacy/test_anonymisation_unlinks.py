"""After anonymisation her pre/post training answers are no longer linked to her (the pair
keeps a random key of its own) while the paired figures stay exactly equal; her age band
is kept as a counted category that never drifts into another band in later years."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from members import services
from members.models import Person
from members.selectors import representation_for
from networks.models import Network
from surveys.models import Deployment, Response, SurveyTemplate
from surveys.selectors import prepost_analysis
from surveys.services import AnswerInput, response_save
from tests.factories import EventFactory, MembershipFactory
from tests.surveys.factories import deploy

pytestmark = pytest.mark.django_db


def _answers(template, score, confidence):
    answers = {}
    for index, question in enumerate(template.questions.filter(is_knowledge=True).order_by("order")):
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
    people = []
    for i in range(8):
        person = make_member(network_a)
        response_save(deployment=pre, person=person, answers=_answers(template, i % 4, 2 + i % 2), submit=True)
        response_save(deployment=post, person=person, answers=_answers(template, 1 + i % 5, 3), submit=True)
        people.append(person)
    return event, people


def _measures(event, user):
    analysis = prepost_analysis(event=event, user=user)
    return analysis["pre_count"], analysis["post_count"], [vars(m) for m in analysis["measures"]]


def test_her_pre_post_pair_is_unlinked_and_the_paired_figures_stay_equal(training, staff_a, central_staff):
    event, people = training
    before = _measures(event, staff_a), _measures(event, central_staff)
    assert before[0][2][0]["pairs"] == 8
    for person in people[:3]:
        services.person_anonymise(person=person, actor=staff_a)
    after = _measures(event, staff_a), _measures(event, central_staff)
    assert after == before
    for person in people[:3]:
        assert not Response.objects.filter(person=person).exists(), "no response points at her record"
        assert not Response.history.filter(person_id=person.pk).exists()
    keys = Response.objects.filter(person__isnull=True, deployment__event=event).values_list(
        "deployment__phase", "respondent_key"
    )
    pre_keys = {k for phase, k in keys if phase == "pre"}
    post_keys = {k for phase, k in keys if phase == "post"}
    assert len(pre_keys) == 3 and pre_keys == post_keys, "each pair shares one random key"
    assert all(key.startswith("anonymised:") and len(key) == len("anonymised:") + 32 for key in pre_keys)


def test_her_age_band_is_kept_as_a_category_and_does_not_drift_years_later(network_a, staff_a, monkeypatch):
    this_year = timezone.localdate().year
    born = this_year - 36  # 35–44 today; a representative "40" would be 45 five years on
    people = [MembershipFactory(network=network_a, person__year_of_birth=born).person for _ in range(5)]
    networks = Network.objects.filter(pk=network_a.pk)
    assert dict(representation_for(networks)["by_age_band"])["35–44"] == 5
    for person in people:
        services.person_anonymise(person=person, actor=staff_a)
    anonymised = Person.objects.get(pk=people[0].pk)
    assert anonymised.year_of_birth is None and anonymised.age_band == "35–44"
    assert dict(representation_for(networks)["by_age_band"])["35–44"] == 5

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(this_year + 5, 6, 1))
    later = dict(representation_for(networks)["by_age_band"])
    assert later["35–44"] == 5, later
