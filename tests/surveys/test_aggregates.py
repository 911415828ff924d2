"""Survey results come from maintained aggregates: updated on submit and withdraw, equal
to a rebuild from the answers, built once for data loaded in bulk, and cached until the
next change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.aggregates import results_rebuild
from surveys.models import Answer, Response, ResultCell, ResultGroup
from surveys.selectors import province_comparison, survey_results, top_needs_for_network
from surveys.services import response_withdraw
from tests.factories import PersonFactory
from tests.surveys.test_results import answer

pytestmark = pytest.mark.django_db


def _figures(results):
    return [
        (r.question.code, r.respondents, [(o.option.code, o.count) for o in r.options], r.other_count, r.mean)
        for r in results.questions
    ]


def _five(deployment, network):
    people = [PersonFactory(province=network.province, category="business") for _ in range(5)]
    for i, person in enumerate(people):
        answer(deployment, person, right=i % 2 == 0, scale=str(1 + i), multi=("a", "b")[: 1 + i % 2], number=10 * i)
    return people


def test_submitting_updates_the_aggregates(deployment_a, network_a, staff_a):
    _five(deployment_a, network_a)
    group = ResultGroup.objects.get(deployment=deployment_a)
    assert group.responses == 5 and group.network == network_a and group.category == "business"
    results = survey_results(deployment=deployment_a, user=staff_a)
    by_code = {r.question.code: r for r in results.questions}
    assert results.respondents == 5
    assert {o.option.code: o.count for o in by_code["single"].options} == {"right": 3, "wrong": 2}
    assert by_code["scale"].mean == 3.0 and by_code["number"].minimum == 0 and by_code["number"].maximum == 40


def test_maintained_aggregates_equal_a_rebuild_from_the_answers(deployment_a, network_a, staff_a):
    _five(deployment_a, network_a)
    maintained = _figures(survey_results(deployment=deployment_a, user=staff_a))
    before = sorted(
        ResultCell.objects.values_list("question_id", "option_id", "count", "other", "number_count"), key=str
    )
    results_rebuild(deployment_id=deployment_a.pk)
    after = sorted(
        ResultCell.objects.values_list("question_id", "option_id", "count", "other", "number_count"), key=str
    )
    assert before == after
    assert _figures(survey_results(deployment=deployment_a, user=staff_a)) == maintained


def test_withdrawing_a_response_takes_it_out_of_the_results(deployment_a, network_a, staff_a):
    people = _five(deployment_a, network_a)
    answer(deployment_a, PersonFactory(province=network_a.province, category="business"))  # a sixth, right
    assert survey_results(deployment=deployment_a, user=staff_a).respondents == 6
    response = Response.objects.get(deployment=deployment_a, person=people[0])
    response_withdraw(response=response)
    results = survey_results(deployment=deployment_a, user=staff_a)
    assert results.respondents == 5
    single = {r.question.code: r for r in results.questions}["single"]
    assert {o.option.code: o.count for o in single.options} == {"right": 3, "wrong": 2}


def test_a_second_view_is_served_from_the_cache_until_a_new_submission(deployment_a, network_a, staff_a):
    _five(deployment_a, network_a)
    survey_results(deployment=deployment_a, user=staff_a)
    with CaptureQueriesContext(connection) as cached:
        again = survey_results(deployment=deployment_a, user=staff_a)
    assert len(cached) == 1  # the version of the aggregates, nothing else
    assert again.respondents == 5
    answer(deployment_a, PersonFactory(province=network_a.province))
    assert survey_results(deployment=deployment_a, user=staff_a).respondents == 6


def test_responses_loaded_in_bulk_get_their_aggregates_on_first_read(deployment_a, network_a, staff_a):
    _five(deployment_a, network_a)
    copies = []
    for response in Response.objects.filter(deployment=deployment_a):
        answers = list(response.answers.all())
        response.pk = None
        response.respondent_key = f"bulk:{response.person_id}"
        response.save()
        copies.append((response, answers))
    for response, answers in copies:
        for a in answers:
            a.pk, a.response = None, response
        Answer.objects.bulk_create(answers)
    ResultGroup.objects.all().delete()  # as after a bulk load: no aggregates yet
    assert survey_results(deployment=deployment_a, user=staff_a).respondents == 10


def test_province_comparison_and_top_needs_read_the_aggregates(deployment_a, network_a, staff_a, central_staff):
    _five(deployment_a, network_a)
    data = province_comparison(template=deployment_a.template, user=central_staff)
    assert [c.respondents for c in data["columns"]] == [5]
    top = top_needs_for_network(network_a)
    assert top is None or top["respondents"] == 5
