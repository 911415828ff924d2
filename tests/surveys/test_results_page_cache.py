"""The results page is rendered once per aggregate version, scope, language and filter
values, then served from the cache: fewer queries on the next view, a new response
shows at once, another scope or language never gets someone else's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.surveys.test_results import fill

pytestmark = pytest.mark.django_db


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="result-filters"') : page.index("</main>")], len(queries)


def test_the_second_view_is_served_from_the_cache_and_a_new_response_shows(
    deployment_a, network_a, staff_a, client_for
):
    fill(deployment_a, network_a, 6)
    client = client_for(staff_a)
    url = reverse("surveys:results", args=[deployment_a.pk])
    first, first_queries = _get(client, url)
    again, again_queries = _get(client, url)
    assert 'id="respondents">6 ' in first and again == first
    # Session, user, the survey (scoped) and the aggregates' version; nothing else.
    assert again_queries <= 4 < first_queries
    fill(deployment_a, network_a, 1)  # submitting changes the aggregates' version
    after, _ = _get(client, url)
    assert 'id="respondents">7 ' in after


def test_scopes_and_languages_get_their_own_page(
    deployment_a, network_a, network_b, staff_a, central_staff, client_for
):
    deployment_a.networks.add(network_b)
    fill(deployment_a, network_a, 5, ethnicity="Kinh")
    fill(deployment_a, network_b, 5, ethnicity="Tày")
    url = reverse("surveys:results", args=[deployment_a.pk])
    central, _ = _get(client_for(central_staff), url)
    own, _ = _get(client_for(staff_a), url)
    assert 'id="respondents">10 ' in central and network_b.province.name in central
    assert 'id="respondents">5 ' in own and network_b.province.name not in own and "Tày" not in own
    english = client_for(staff_a)
    english.cookies["django_language"] = "en"
    page, _ = _get(english, url)
    assert "5 responses" in page and "Lọc" not in page


def test_filters_are_part_of_the_key_and_made_up_values_are_refused_each_time(
    deployment_a, network_a, staff_a, client_for
):
    fill(deployment_a, network_a, 5, ethnicity="Kinh")
    fill(deployment_a, network_a, 5, ethnicity="Mường")
    client = client_for(staff_a)
    url = reverse("surveys:results", args=[deployment_a.pk])
    kinh, _ = _get(client, url, ethnicity="Kinh")
    assert 'id="respondents">5 ' in kinh
    for _attempt in range(2):
        made_up, _ = _get(client, url, ethnicity="Không có")
        assert 'id="respondents">10 ' in made_up  # not a filter: the whole results
