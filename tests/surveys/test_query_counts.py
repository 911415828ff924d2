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
