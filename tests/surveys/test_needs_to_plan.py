"""From needs to plan: the network's top needs, and needs side by side per province."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from surveys.models import MIN_GROUP_SIZE, SurveyTemplate
from surveys.selectors import top_needs_for_network
from surveys.services import AnswerInput, response_save
from tests.factories import MembershipFactory
from tests.surveys.factories import deploy

pytestmark = pytest.mark.django_db


def _choose(template, code, options):
    q = template.questions.get(code=code)
    return {q.pk: AnswerInput(options=[str(q.options.get(code=c).pk) for c in options])}


def _answer(deployment, network, skills):
    """A submitted needs survey: the required questions and the chosen skills."""
    t = deployment.template
    answers = (
        _choose(t, "attended_training", ["no"])
        | _choose(t, "obstacles", ["family"])
        | _choose(t, "skills_wanted", skills)
    )
    response_save(deployment=deployment, person=MembershipFactory(network=network).person, answers=answers, submit=True)


@pytest.fixture
def needs(shipped_templates):
    return SurveyTemplate.objects.get(family="needs-survey")


def test_top_needs_are_the_most_chosen_skills_of_the_latest_needs_survey(needs, network_a, network_b):
    assert top_needs_for_network(network_a) is None
    deployment = deploy(needs, network=network_a)
    for skills in (["protocol", "fta"], ["protocol"], ["protocol", "culture"], ["fta"], ["self_leadership"]):
        _answer(deployment, network_a, skills)
    other = deploy(needs, network=network_b)
    _answer(other, network_b, ["culture"])
    top = top_needs_for_network(network_a, limit=2)
    assert top["respondents"] == 5
    assert [(n["text"], n["count"], n["percent"]) for n in top["needs"]] == [
        ("Lễ tân và giao tiếp đối ngoại", 3, 60.0),
        ("Các hiệp định thương mại tự do", 2, 40.0),
    ]
    html = render_to_string("surveys/_top_needs.html", {"top_needs": top})
    assert "Lễ tân và giao tiếp đối ngoại — 3 (60,0%)" in html or "Lễ tân và giao tiếp đối ngoại — 3 (60.0%)" in html


def test_top_needs_of_fewer_than_five_respondents_show_small_group_and_no_figure(needs, network_a):
    deployment = deploy(needs, network=network_a)
    for skills in (["protocol", "fta"], ["protocol"], ["protocol", "culture"], ["fta"]):
        _answer(deployment, network_a, skills)
    top = top_needs_for_network(network_a)
    assert top["hidden"] is True
    assert top["respondents"] == "<5"
    assert top["needs"] == []
    html = render_to_string("surveys/_top_needs.html", {"top_needs": top})
    assert "&lt;5" in html
    assert "Lễ tân và giao tiếp đối ngoại" not in html


def test_the_snippet_says_when_there_is_no_needs_survey_yet(network_a):
    html = render_to_string("surveys/_top_needs.html", {"top_needs": top_needs_for_network(network_a)})
    assert "Chưa có khảo sát nhu cầu" in html


def test_provinces_side_by_side_hide_small_groups(needs, network_a, network_b, central_staff, staff_a, client_for):
    a = deploy(needs, network=network_a)
    b = deploy(needs, network=network_b)
    for _i in range(MIN_GROUP_SIZE):
        _answer(a, network_a, ["protocol"])
    for _i in range(MIN_GROUP_SIZE - 1):
        _answer(b, network_b, ["fta"])
    page = client_for(central_staff).get(reverse("surveys:comparison", args=[needs.pk]))
    columns = page.context["columns"]
    # Nghệ An's 4 are a small group; Hưng Yên's 5 are withheld too (complementary
    # suppression), or the family's total minus Hưng Yên would give Nghệ An's answers.
    assert [(c.province.codename, c.respondents, c.hidden) for c in columns] == [
        ("hung_yen", "—", True),
        ("nghe_an", "<5", True),
    ]
    skills = next(r for r in page.context["rows"] if r["question"].code == "skills_wanted")
    protocol = next(cells for option, cells in skills["options"] if option.code == "protocol")
    assert protocol == [None, None]
    _answer(b, network_b, ["fta"])
    page = client_for(central_staff).get(reverse("surveys:comparison", args=[needs.pk]))
    assert [(c.respondents, c.hidden) for c in page.context["columns"]] == [(5, False), (5, False)]
    skills = next(r for r in page.context["rows"] if r["question"].code == "skills_wanted")
    protocol = next(cells for option, cells in skills["options"] if option.code == "protocol")
    assert protocol == [100.0, 0.0]
    mine = client_for(staff_a).get(reverse("surveys:comparison", args=[needs.pk]))
    assert [c.province.codename for c in mine.context["columns"]] == ["hung_yen"]


def test_comparison_is_staff_only(needs, member_a, client_for):
    assert client_for(member_a).get(reverse("surveys:comparison", args=[needs.pk])).status_code == 404


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("en", 1, "(1 respondent)."),
        ("en", 2, "(2 respondents)."),
        ("vi", 1, "(1 người trả lời)."),
        ("vi", 2, "(2 người trả lời)."),
    ],
)
def test_top_needs_count_their_respondents_through_ngettext(language, n, expected):
    """Issue 15: "(1 respondents)" read wrong in English; the count picks the form."""
    top = {
        "deployment": SimpleNamespace(template=SimpleNamespace(title="Khảo sát nhu cầu")),
        "respondents": n,
        "needs": [{"text": "Lễ tân", "count": n, "percent": 100}],
        "hidden": False,
    }
    with translation.override(language):
        html = render_to_string("surveys/_top_needs.html", {"top_needs": top})
    assert expected in html
