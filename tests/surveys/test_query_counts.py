"""List and detail pages run a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.services import AnswerInput, response_save
from tests.factories import PersonFactory
from tests.surveys.factories import deploy, full_template, q

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _responses(deployment, network, n):
    t = deployment.template
    for _i in range(n):
        response_save(
            deployment=deployment,
            person=PersonFactory(province=network.province),
            answers={q(t, "scale").pk: AnswerInput(value="3")},
            submit=False,
        )


def test_staff_survey_list(network_a, staff_a, client_for):
    client = client_for(staff_a)
    url = reverse("surveys:list")
    deploy(full_template(), network=network_a)
    few = _count(client, url)
    for _i in range(8):
        _responses(deploy(full_template(), network=network_a), network_a, 2)
    assert _count(client, url) == few


def test_member_survey_list(network_a, member_a, client_for):
    client = client_for(member_a)
    url = reverse("surveys:list")
    deploy(full_template(), network=network_a)
    few = _count(client, url)
    for _i in range(6):
        deploy(full_template(), network=network_a)
    assert _count(client, url) == few


def test_detail_and_fill_pages(deployment_a, network_a, staff_a, member_a, client_for):
    detail = reverse("surveys:detail", args=[deployment_a.pk])
    few = _count(client_for(staff_a), detail)
    _responses(deployment_a, network_a, 20)
    assert _count(client_for(staff_a), detail) == few
    fill = reverse("surveys:fill", args=[deployment_a.token])
    assert _count(client_for(member_a), fill) <= 15


def test_staff_survey_list_pages_and_counts_each_pages_responses(network_a, network_b, staff_a, client_for):
    """The list shows 50 deployments a page (a national programme has hundreds), each
    with the submitted responses the user may see."""
    from surveys.views import DEPLOYMENTS_PER_PAGE

    template = full_template()
    first = deploy(template, network=network_a)
    _responses(first, network_a, 3)
    submitted = first.responses.order_by("pk").values_list("pk", flat=True)[:2]
    first.responses.filter(pk__in=list(submitted)).update(status="submitted")  # one stays a draft
    for _i in range(DEPLOYMENTS_PER_PAGE):
        deploy(template, network=network_a)
    client = client_for(staff_a)
    page_one = client.get(reverse("surveys:list")).content.decode()
    rows = page_one.split('id="deployment-list"')[1].split("</table>")[0].count("<tr>") - 1
    assert rows == DEPLOYMENTS_PER_PAGE and "?page=2" in page_one
    page_two = client.get(reverse("surveys:list") + "?page=2").content.decode()
    table = page_two.split('id="deployment-list"')[1].split("</table>")[0]
    assert table.count("<tr>") - 1 == 1 and "<td>2</td>" in table  # the oldest: its two submitted responses
