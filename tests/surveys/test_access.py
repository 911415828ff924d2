"""Every survey page refuses those who may not see it: anonymous visitors log in first;
donor viewers, members and staff of another province get 404 on staff pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["detail", "qr", "paper", "results", "export"]


def _urls(deployment, event):
    urls = [reverse(f"surveys:{name}", args=[deployment.pk]) for name in STAFF_PAGES]
    urls += [
        reverse("surveys:new"),
        reverse("surveys:comparison", args=[deployment.template.pk]),
        reverse("surveys:prepost", args=[event.pk]),
    ]
    return urls


def test_anonymous_visitors_are_sent_to_log_in(deployment_a, network_a, client):
    event = EventFactory(networks=[network_a])
    for url in [*_urls(deployment_a, event), reverse("surveys:list"), reverse("surveys:thanks", args=["x"])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_donor_viewers_and_members_get_404_on_staff_pages(deployment_a, network_a, donor_viewer, member_a, client_for):
    event = EventFactory(networks=[network_a])
    for user in (donor_viewer, member_a):
        client = client_for(user)
        for url in _urls(deployment_a, event):
            assert client.get(url).status_code == 404, (user.role, url)


def test_donor_viewers_cannot_open_a_survey_link(deployment_a, donor_viewer, client_for):
    client = client_for(donor_viewer)
    assert client.get(reverse("surveys:fill", args=[deployment_a.token])).status_code == 404
    assert client.get(reverse("surveys:thanks", args=[deployment_a.token])).status_code == 404
    assert deployment_a.token not in client.get(reverse("surveys:list")).content.decode()


def test_staff_of_another_province_cannot_open_the_thank_you_page_or_paper_entry(deployment_a, staff_b, client_for):
    client = client_for(staff_b)
    assert client.get(reverse("surveys:thanks", args=[deployment_a.token])).status_code == 404
    assert client.post(reverse("surveys:paper", args=[deployment_a.pk]), {"submit": ""}).status_code == 404
    assert deployment_a.responses.count() == 0
