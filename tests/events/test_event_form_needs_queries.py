"""The event form's "what members asked for" sections: a fixed number of queries however
many networks the form lists (central staff see every province's), same figures as the
one-network selector."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import SurveyTemplate
from surveys.selectors import top_needs_for_network, top_needs_for_networks
from tests.factories import NetworkFactory, province
from tests.surveys.factories import deploy
from tests.surveys.test_needs_to_plan import _answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped_templates(reference_data):
    from surveys.shipped import load_shipped_templates

    load_shipped_templates()


CODENAMES = ["hung_yen", "nghe_an", "quang_ngai", "ha_noi", "thai_nguyen", "lao_cai"]


def _answered_networks(count: int) -> list:
    needs = SurveyTemplate.objects.get(family="needs-survey")
    networks = []
    for index in range(count):
        network = NetworkFactory(province=province(CODENAMES[index % len(CODENAMES)]), name=f"Mạng lưới {index}")
        deployment = deploy(needs, network=network)
        # Alternate a group large enough to show and a small one that is withheld.
        for n in range(6 if index % 2 == 0 else 2):
            _answer(deployment, network, ["protocol", "culture"] if n % 2 else ["protocol"])
        networks.append(network)
    return networks


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_event_form_runs_a_fixed_number_of_queries(shipped_templates, central_staff, client_for):
    client = client_for(central_staff)
    url = reverse("events:create")
    _answered_networks(1)
    client.get(url)  # warm caches (site, content types)
    few = _queries(client, url)
    _answered_networks(5)
    many = _queries(client, url)
    assert many == few, f"{few} queries with 1 network, {many} with 6"


def test_batched_figures_equal_the_one_network_selector(shipped_templates, reference_data):
    networks = _answered_networks(4)
    batched = top_needs_for_networks(networks)
    for network in networks:
        assert batched[network.pk] == top_needs_for_network(network)
    assert {found["hidden"] for found in batched.values()} == {True, False}, "both cases are compared"


def test_batched_selector_query_count(shipped_templates, reference_data, django_assert_num_queries):
    networks = _answered_networks(3) + [NetworkFactory(province=province("ha_noi"), name="Chưa khảo sát")]
    with django_assert_num_queries(4):
        found = top_needs_for_networks(networks)
    assert found[networks[-1].pk] is None
