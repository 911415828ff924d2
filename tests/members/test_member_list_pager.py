"""The member-list and pipeline pagers keep the search, network and removal filters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _pager_links(response) -> list[dict[str, list[str]]]:
    import re

    pager = response.content.decode().split('class="pager"', 1)[1].split("</p>", 1)[0]
    return [parse_qs(urlparse(href.replace("&amp;", "&")).query) for href in re.findall(r'href="([^"]+)"', pager)]


def test_member_list_pager_keeps_every_filter(network_a, staff_a, client_for):
    now = timezone.now()
    for index in range(55):
        person = MembershipFactory(network=network_a, person__full_name=f"Nguyễn Thị Hoa {index:02d}").person
        person.search_text = person.compute_search_text()
        if index < 52:
            person.removal_requested_at = now
        person.save()
    query = {"q": "Hoa", "network": str(network_a.pk), "removal": "1"}
    response = client_for(staff_a).get(reverse("members:list"), query)
    (next_link,) = _pager_links(response)
    assert next_link == {"q": ["Hoa"], "network": [str(network_a.pk)], "removal": ["1"], "page": ["2"]}
    second = client_for(staff_a).get(reverse("members:list"), {**query, "page": "2"})
    assert len(second.context["people"]) == 2, "page 2 is the rest of the filtered list"
    (previous_link,) = _pager_links(second)
    assert previous_link["removal"] == ["1"] and previous_link["page"] == ["1"]


def test_pipeline_pager_keeps_status_and_network(network_a, staff_a, client_for):
    for index in range(105):
        MembershipFactory(network=network_a, person__full_name=f"Ứng viên {index:03d}", status="member")
    query = {"status": "member", "network": str(network_a.pk)}
    response = client_for(staff_a).get(reverse("members:pipeline"), query)
    (next_link,) = _pager_links(response)
    assert next_link == {"status": ["member"], "network": [str(network_a.pk)], "page": ["2"]}
