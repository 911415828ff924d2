"""The network's annual-plan section and the event form show what members asked for most."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import SurveyTemplate
from tests.factories import EventFactory
from tests.surveys.factories import deploy
from tests.surveys.test_needs_to_plan import _answer

pytestmark = pytest.mark.django_db

PROTOCOL = "Lễ tân và giao tiếp đối ngoại"
FTA = "Các hiệp định thương mại tự do"


@pytest.fixture
def answered(shipped_templates, network_a, network_b):
    needs = SurveyTemplate.objects.get(family="needs-survey")
    mine = deploy(needs, network=network_a)
    for skills in (["protocol"], ["protocol", "culture"], ["culture"], ["culture"], ["culture"]):
        _answer(mine, network_a, skills)
    theirs = deploy(needs, network=network_b)
    _answer(theirs, network_b, ["fta"])


def test_network_page_shows_top_needs_next_to_the_annual_plans(answered, network_a, staff_a, client_for):
    body = client_for(staff_a).get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert 'id="top-needs"' in body
    assert f"{PROTOCOL} — 2" in body
    assert f"{FTA} — 1" not in body  # another network's answers are not counted here


def test_event_form_shows_top_needs_of_her_networks_only(answered, network_a, network_b, staff_a, client_for):
    body = client_for(staff_a).get(reverse("events:create")).content.decode()
    assert 'id="needs-for-planning"' in body
    assert f"{PROTOCOL} — 2" in body
    assert network_b.name not in body
    assert f"{FTA} — 1" not in body  # (FTA is also a topic checkbox on the form)


def test_event_edit_form_shows_top_needs_of_the_event_networks(answered, network_a, staff_a, client_for):
    event = EventFactory(networks=[network_a])
    body = client_for(staff_a).get(reverse("events:edit", args=[event.pk])).content.decode()
    assert f"{PROTOCOL} — 2" in body


def test_network_page_without_needs_survey_says_so(network_a, staff_a, client_for):
    body = client_for(staff_a).get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert "Chưa có khảo sát nhu cầu" in body


def test_other_province_gets_404_on_the_network_page_with_needs(answered, network_a, staff_b, client_for):
    assert client_for(staff_b).get(reverse("networks:detail", args=[network_a.pk])).status_code == 404
