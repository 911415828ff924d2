"""The membership page offers the next allowed steps as buttons; the pipeline's bulk
form applies to the ticked people, or to all matching the filter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_candidate_page_offers_approval_first_then_negative_steps(client_for, staff_a, candidate_a):
    response = client_for(staff_a).get(reverse("members:membership", args=[candidate_a.pk]))
    steps = [s["state"] for s in response.context["next_steps"]]
    assert steps[0] == "approved"
    page = response.content.decode()
    assert 'id="step-approve"' in page
    assert 'id="to-declined"' in page and 'id="to-rejected"' in page
    assert 'id="step-admit"' not in page  # not allowed from candidate


def test_the_buttons_walk_a_candidate_to_member(client_for, staff_a, candidate_a):
    client = client_for(staff_a)
    url = reverse("members:membership", args=[candidate_a.pk])
    client.post(url, {"step": "approve", "reference": "Công văn 12/HLHPN"})
    candidate_a.refresh_from_db()
    assert candidate_a.status == "approved"
    assert 'id="step-invite"' in client.get(url).content.decode()
    client.post(url, {"step": "invite"})
    candidate_a.refresh_from_db()
    assert candidate_a.status == "invited"
    Membership.objects.filter(pk=candidate_a.pk).update(status="applied")
    client.post(url, {"step": "admit", "decision_number": "05/QĐ", "joined_on": "23/11/2026"})
    candidate_a.refresh_from_db()
    assert candidate_a.status == "member" and str(candidate_a.joined_on) == "2026-11-23"
    page = client.get(url).content.decode()
    assert 'id="to-left"' in page and 'id="to-removed"' in page


def test_approval_without_a_reference_changes_nothing(client_for, staff_a, candidate_a):
    response = client_for(staff_a).post(
        reverse("members:membership", args=[candidate_a.pk]), {"step": "approve", "reference": ""}, follow=True
    )
    candidate_a.refresh_from_db()
    assert candidate_a.status == "candidate"
    assert "ý kiến" in response.content.decode() or "văn bản" in response.content.decode()


def test_pipeline_form_has_per_action_fields_and_select_all(client_for, staff_a, network_a):
    MembershipFactory(network=network_a, status="candidate")
    page = client_for(staff_a).get(reverse("members:pipeline") + "?status=candidate").content.decode()
    assert 'data-action="approve"' in page and 'data-action="admit"' in page
    assert 'id="select-page"' in page and 'id="all-matching"' in page


def test_bulk_action_on_all_matching(client_for, staff_a, network_a, network_b):
    for _ in range(3):
        MembershipFactory(network=network_a, status="candidate")
    MembershipFactory(network=network_a, status="applied")
    other = MembershipFactory(network=network_b, status="candidate")
    client_for(staff_a).post(
        reverse("members:pipeline") + "?status=candidate",
        {"action": "approve", "reference": "Ý kiến Thường trực", "all_matching": "1"},
    )
    assert Membership.objects.filter(network=network_a, status="approved").count() == 3
    assert Membership.objects.filter(network=network_a, status="applied").count() == 1
    other.refresh_from_db()
    assert other.status == "candidate"
