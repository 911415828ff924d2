"""Saving answers: drafts, submission, and bad input rejected with a clear message and
nothing stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys.models import Answer, Response
from surveys.services import AnswerInput, response_save
from tests.surveys.factories import deploy, full_template, opt, q, response_count

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English here; the Vietnamese ones in test_fill_views."""
    with translation.override("en"):
        yield


def _valid(template) -> dict:
    return {
        q(template, "single").pk: AnswerInput(options=[opt(template, "single", "right")]),
        q(template, "multi").pk: AnswerInput(
            options=[opt(template, "multi", "a"), opt(template, "multi", "c")], other="Tự học"
        ),
        q(template, "scale").pk: AnswerInput(value="4"),
        q(template, "number").pk: AnswerInput(value="12"),
        q(template, "long").pk: AnswerInput(value="Nhiều điều"),
    }


@pytest.fixture
def person(make_member, network_a):
    return make_member(network_a, ethnicity="Tày")


def test_it_stores_a_submitted_response(deployment_a, template, person):
    response = response_save(deployment=deployment_a, person=person, answers=_valid(template), submit=True)
    assert response.status == Response.Status.SUBMITTED
    assert response.person == person and response.ethnicity == "Tày" and response.province == person.province
    stored = Answer.objects.filter(response=response)
    assert stored.filter(question__code="multi", option__isnull=False).count() == 2
    assert stored.get(question__code="multi", option__isnull=True).text == "Tự học"
    assert stored.get(question__code="scale").number == 4


def test_a_draft_may_miss_required_answers_and_can_be_finished_later(deployment_a, template, person):
    draft = response_save(
        deployment=deployment_a, person=person, answers={q(template, "scale").pk: AnswerInput(value="2")}, submit=False
    )
    assert draft.status == Response.Status.DRAFT
    with pytest.raises(ValidationError) as exc:
        response_save(deployment=deployment_a, person=person, answers={}, submit=True)
    assert f"q{q(template, 'single').pk}" in exc.value.message_dict
    assert Response.objects.get(pk=draft.pk).status == Response.Status.DRAFT
    assert Answer.objects.filter(response=draft).count() == 1, "the failed submit changed nothing"
    final = response_save(deployment=deployment_a, person=person, answers=_valid(template), submit=True)
    assert final.pk == draft.pk and final.status == Response.Status.SUBMITTED


def test_a_closed_survey_rejects_answers(template, network_a, person):
    closed = deploy(template, network=network_a, open_=False)
    with pytest.raises(ValidationError, match="closed"):
        response_save(deployment=closed, person=person, answers=_valid(template), submit=True)
    assert response_count(closed) == 0


def test_a_second_response_by_the_same_person_is_rejected(deployment_a, template, person):
    response_save(deployment=deployment_a, person=person, answers=_valid(template), submit=True)
    before = Answer.objects.count()
    with pytest.raises(ValidationError, match="already answered"):
        response_save(deployment=deployment_a, person=person, answers=_valid(template), submit=True)
    assert response_count(deployment_a) == 1 and Answer.objects.count() == before


def test_an_anonymous_survey_keeps_no_name_but_still_one_response_per_person(template, network_a, person):
    anonymous = deploy(template, network=network_a, anonymous=True)
    response = response_save(deployment=anonymous, person=person, answers=_valid(template), submit=True)
    assert response.person is None and response.respondent_key.startswith("anon:")
    assert response.respondent_key != f"person:{person.pk}"
    with pytest.raises(ValidationError, match="already answered"):
        response_save(deployment=anonymous, person=person, answers=_valid(template), submit=True)
    assert response_count(anonymous) == 1


@pytest.mark.parametrize(
    ("code", "given", "message"),
    [
        ("scale", AnswerInput(value="6"), "from 1 to 5"),
        ("scale", AnswerInput(value="2.5"), "from 1 to 5"),
        ("scale", AnswerInput(value="nhiều"), "scale"),
        ("number", AnswerInput(value="abc"), "Enter a number"),
        ("number", AnswerInput(value="61"), "at most 60"),
        ("number", AnswerInput(value="-1"), "at least 0"),
        ("number", AnswerInput(value="NaN"), "Enter a number"),
        ("single", AnswerInput(value="right"), "options offered"),
        ("scale", AnswerInput(options=["1"]), "no options"),
        ("short", AnswerInput(value="x" * 301), "300"),
    ],
)
def test_an_answer_of_the_wrong_type_or_out_of_range_is_rejected(deployment_a, template, person, code, given, message):
    answers = _valid(template) | {q(template, code).pk: given}
    with pytest.raises(ValidationError) as exc:
        response_save(deployment=deployment_a, person=person, answers=answers, submit=False)
    assert message in " ".join(exc.value.message_dict[f"q{q(template, code).pk}"])
    assert response_count(deployment_a) == 0 and Answer.objects.count() == 0


def test_an_option_of_another_question_and_two_answers_to_a_single_choice_are_rejected(deployment_a, template, person):
    foreign = opt(template, "multi", "a")
    for bad in (
        AnswerInput(options=[foreign]),
        AnswerInput(options=[opt(template, "single", "right"), opt(template, "single", "wrong")]),
    ):
        with pytest.raises(ValidationError):
            response_save(deployment=deployment_a, person=person, answers={q(template, "single").pk: bad}, submit=False)
    assert response_count(deployment_a) == 0


def test_a_question_of_another_survey_is_rejected(deployment_a, template, person):
    other = full_template()
    answers = _valid(template) | {q(other, "scale").pk: AnswerInput(value="3")}
    with pytest.raises(ValidationError) as exc:
        response_save(deployment=deployment_a, person=person, answers=answers, submit=True)
    assert "does not belong to this survey" in " ".join(exc.value.message_dict["__all__"])
    assert response_count(deployment_a) == 0 and Answer.objects.count() == 0


def test_a_hidden_conditional_question_is_not_required_and_its_answer_is_dropped(deployment_a, template, person):
    followup = q(template, "followup")
    answers = _valid(template) | {followup.pk: AnswerInput(value="ignored")}
    response = response_save(deployment=deployment_a, person=person, answers=answers, submit=True)
    assert not response.answers.filter(question=followup).exists()


def test_a_shown_conditional_question_is_required(deployment_a, template, person):
    answers = _valid(template) | {q(template, "single").pk: AnswerInput(options=[opt(template, "single", "wrong")])}
    with pytest.raises(ValidationError) as exc:
        response_save(deployment=deployment_a, person=person, answers=answers, submit=True)
    assert f"q{q(template, 'followup').pk}" in exc.value.message_dict
