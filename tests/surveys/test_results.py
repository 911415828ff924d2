"""Results of one survey: database aggregates, filters with a minimum group size,
province scoping, constant query counts, and the Excel export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys.models import MIN_GROUP_SIZE
from surveys.selectors import survey_results
from surveys.services import AnswerInput, response_save
from tests.factories import NetworkFactory, PersonFactory
from tests.surveys.factories import deploy, opt, q

pytestmark = pytest.mark.django_db


def answer(deployment, person, *, right=True, scale="4", multi=("a",), other="", text="", number=None):
    t = deployment.template
    answers = {
        q(t, "single").pk: AnswerInput(options=[opt(t, "single", "right" if right else "wrong")]),
        q(t, "multi").pk: AnswerInput(options=[opt(t, "multi", m) for m in multi], other=other),
        q(t, "scale").pk: AnswerInput(value=scale),
        q(t, "long").pk: AnswerInput(value=text),
    }
    if not right:
        answers[q(t, "followup").pk] = AnswerInput(value="lý do")
    if number is not None:
        answers[q(t, "number").pk] = AnswerInput(value=str(number))
    return response_save(deployment=deployment, person=person, answers=answers, submit=True)


def fill(deployment, network, n, **person):
    for i in range(n):
        answer(deployment, PersonFactory(province=network.province, **person), right=i % 2 == 0, scale=str(1 + i % 5))


def test_counts_percentages_means_and_texts(deployment_a, network_a, staff_a):
    people = [PersonFactory(province=network_a.province) for _ in range(5)]
    answer(deployment_a, people[0], right=True, scale="5", multi=("a", "b"), text="Cần thêm ngoại ngữ")
    answer(deployment_a, people[1], right=True, scale="3", multi=("a",), other="Tin học")
    answer(deployment_a, people[2], right=False, scale="4", multi=("b",), number=10)
    answer(deployment_a, people[3], right=True, scale="2", multi=("a",), number=20)
    answer(deployment_a, people[4], right=True, scale="3", multi=("c",))
    results = survey_results(deployment=deployment_a, user=staff_a)
    by_code = {r.question.code: r for r in results.questions}
    assert results.respondents == 5 and not results.hidden
    single = {o.option.code: (o.count, o.percent) for o in by_code["single"].options}
    assert single == {"right": (4, 80.0), "wrong": (1, 20.0)}
    assert by_code["single"].correct_percent == 80.0
    multi = {o.option.code: (o.count, o.percent) for o in by_code["multi"].options}
    assert multi == {"a": (3, 60.0), "b": (2, 40.0), "c": (1, 20.0)}
    assert by_code["multi"].other_count == 1 and by_code["multi"].texts == ["Tin học"]
    assert by_code["scale"].mean == 3.4 and by_code["scale"].minimum == 2 and by_code["scale"].maximum == 5
    assert by_code["number"].respondents == 2 and by_code["number"].mean == 15
    assert by_code["long"].texts == ["Cần thêm ngoại ngữ"]
    assert by_code["followup"].respondents == 1


def test_drafts_are_not_counted(deployment_a, network_a, staff_a):
    fill(deployment_a, network_a, 5)
    t = deployment_a.template
    response_save(
        deployment=deployment_a,
        person=PersonFactory(province=network_a.province),
        answers={q(t, "scale").pk: AnswerInput(value="1")},
        submit=False,
    )
    assert survey_results(deployment=deployment_a, user=staff_a).respondents == 5


def test_a_filtered_group_below_the_minimum_size_is_hidden(deployment_a, network_a, staff_a, client_for):
    fill(deployment_a, network_a, MIN_GROUP_SIZE, ethnicity="Kinh")
    fill(deployment_a, network_a, MIN_GROUP_SIZE, ethnicity="Tày")
    kinh = survey_results(deployment=deployment_a, user=staff_a, filters={"ethnicity": "Kinh"})
    assert not kinh.hidden and kinh.respondents == MIN_GROUP_SIZE
    fill(deployment_a, network_a, MIN_GROUP_SIZE - 1, ethnicity="Mường")
    tay = survey_results(deployment=deployment_a, user=staff_a, filters={"ethnicity": "Mường"})
    assert tay.hidden and tay.questions == [] and tay.respondents == "<5"
    # The page does not even offer the small group as a filter choice.
    page = client_for(staff_a).get(reverse("surveys:results", args=[deployment_a.pk]), {"ethnicity": "Mường"})
    assert page.status_code == 200
    # Mường (4) is withheld, and Kinh with it (complementary): else all minus Kinh minus Tày = Mường.
    assert [v for v, _l in page.context["form"].fields["ethnicity"].choices if v] == ["Tày"]
    assert page.context["results"].respondents == 3 * MIN_GROUP_SIZE - 1  # the filter was refused


def test_results_of_an_event_survey_are_limited_to_the_staffs_province(
    template, network_a, network_b, staff_a, staff_b
):
    from tests.factories import EventFactory

    event = EventFactory(networks=[network_a, network_b])
    deployment = deploy(template, event=event)
    fill(deployment, network_a, 5)
    for _i in range(6):
        person = PersonFactory(province=network_b.province)
        person.memberships.create(network=network_b, status="member")
        answer(deployment, person)
    assert survey_results(deployment=deployment, user=staff_a).respondents == 5
    assert survey_results(deployment=deployment, user=staff_b).respondents == 6


def test_results_page_query_count_does_not_grow_with_responses(
    deployment_a, network_a, staff_a, client_for, django_assert_num_queries
):
    client = client_for(staff_a)
    url = reverse("surveys:results", args=[deployment_a.pk])
    fill(deployment_a, network_a, 5)
    client.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Each measure follows a new submission, so both pages are computed, not cached.
    fill(deployment_a, network_a, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    fill(deployment_a, network_a, 30)
    with django_assert_num_queries(len(few)):
        page = client.get(url)
    assert "36" in page.content.decode()


def test_results_pages_are_404_for_other_province_and_members(deployment_a, staff_b, member_a, client_for):
    for name in ("results", "detail", "export", "paper", "qr"):
        url = reverse(f"surveys:{name}", args=[deployment_a.pk])
        assert client_for(staff_b).get(url).status_code == 404, name
        assert client_for(member_a).get(url).status_code == 404, name


def test_staff_list_shows_no_other_province_survey(deployment_a, staff_a, staff_b, client_for):
    assert deployment_a in list(client_for(staff_a).get(reverse("surveys:list")).context["deployments"])
    assert deployment_a not in list(client_for(staff_b).get(reverse("surveys:list")).context["deployments"])


NAME_COLUMN = 6  # response, source, submitted at, province, network, category, then full name


def _export(client, deployment):
    response = client.get(reverse("surveys:export", args=[deployment.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_export_has_personal_columns_only_for_staff_of_that_province(
    deployment_a, network_a, staff_a, central_staff, client_for
):
    person = PersonFactory(province=network_a.province, full_name="=Nguyễn Thị Xuất")
    answer(deployment_a, person, text="+cmd")
    header, rows = _export(client_for(staff_a), deployment_a)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert rows[0][NAME_COLUMN] == "'=Nguyễn Thị Xuất", "personal column, formula neutralised"
    assert row["long"] == "'+cmd"
    assert row["scale"] == "4"
    header, rows = _export(client_for(central_staff), deployment_a)
    row = dict(zip(header, rows[0], strict=True))
    assert rows[0][NAME_COLUMN] in ("", None) and row["scale"] == "4"
    assert "Nguyễn Thị Xuất" not in str(rows[0])


def test_export_holds_no_other_province_rows(template, network_a, staff_a, staff_b, client_for):
    from tests.factories import EventFactory

    network_b2 = NetworkFactory(province=staff_b.province)
    event = EventFactory(networks=[network_a, network_b2])
    deployment = deploy(template, event=event)
    fill(deployment, network_a, 2)
    person = PersonFactory(province=staff_b.province)
    person.memberships.create(network=network_b2, status="member")
    answer(deployment, person)
    assert len(_export(client_for(staff_a), deployment)[1]) == 2
    assert len(_export(client_for(staff_b), deployment)[1]) == 1


def test_the_top_need_questions_get_a_chart(deployment_a, network_a, staff_a, client_for):
    fill(deployment_a, network_a, 5)
    html = client_for(staff_a).get(reverse("surveys:results", args=[deployment_a.pk])).content.decode()
    section = html[html.index('id="result-multi"') : html.index('id="result-followup"')]
    assert "<svg" in section
    assert "<svg" not in html[html.index('id="result-scale"') :]
