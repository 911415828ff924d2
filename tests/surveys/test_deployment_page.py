"""The deployment page: response rate per network for staff who may see the survey;
who has not answered, with a resend button, only for staff of that province. Guests
checked in at a training get their personal links from the check-in page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Attendance
from surveys import services
from surveys.models import Response, SurveyInvitation
from tests.factories import EventFactory, MembershipFactory, PersonFactory
from tests.surveys.factories import deploy

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(deployment_a, network_a):
    people = [
        MembershipFactory(network=network_a, person__full_name=name, person__email=f"{i}@example.org").person
        for i, name in enumerate(["Lò Thị Đã Trả Lời", "Cầm Thị Chưa Trả Lời"])
    ]
    services.deployment_queue_invitations(deployment=deployment_a)
    Response.objects.create(
        deployment=deployment_a,
        person=people[0],
        respondent_key=f"person:{people[0].pk}",
        status="submitted",
        province_id=network_a.province_id,
        network=network_a,
    )
    return people


def test_staff_of_the_province_see_the_rate_and_who_has_not_answered(client_for, staff_a, deployment_a, invited):
    html = client_for(staff_a).get(reverse("surveys:detail", args=[deployment_a.pk])).content.decode()
    assert 'id="response-rates"' in html and "50%" in html
    assert 'id="not-answered"' in html and "Cầm Thị Chưa Trả Lời" in html
    assert "Lò Thị Đã Trả Lời" not in html.split('id="not-answered"')[1]


def test_central_staff_see_the_rate_but_no_names(client_for, central_staff, deployment_a, invited):
    html = client_for(central_staff).get(reverse("surveys:detail", args=[deployment_a.pk])).content.decode()
    assert "50%" in html and 'id="not-answered"' not in html and "Cầm Thị Chưa Trả Lời" not in html


def test_resend_goes_only_to_those_who_have_not_answered(client_for, staff_a, deployment_a, invited):
    response = client_for(staff_a).post(reverse("surveys:resend", args=[deployment_a.pk]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["1@example.org"]]


def test_staff_of_another_province_cannot_resend(client_for, staff_b, deployment_a, invited):
    assert client_for(staff_b).post(reverse("surveys:resend", args=[deployment_a.pk])).status_code == 404
    assert mail.outbox == []


def test_a_guest_checked_in_gets_her_links_from_the_check_in_page(client_for, staff_a, network_a, template):
    event = EventFactory(networks=[network_a])
    pre = deploy(template, event=event, phase="pre", user=staff_a)
    guest = PersonFactory(province=network_a.province, full_name="Khách Lớp Học", email="khach@example.org")
    Attendance.objects.create(event=event, person=guest, is_member=False, checked_in_at=timezone.now())
    client = client_for(staff_a)
    checkin = client.get(reverse("events:checkin", args=[event.pk])).content.decode()
    links_url = reverse("surveys:guest_links", args=[event.pk, guest.pk])
    assert links_url in checkin
    page = client.get(links_url).content.decode()
    invitation = SurveyInvitation.objects.get(deployment=pre, person=guest)
    assert invitation.is_guest and f"/surveys/s/{pre.token}/p/{invitation.token}:" in page and "<svg" in page
    client.post(links_url, {"channel": "email"})
    assert mail.outbox[0].to == ["khach@example.org"]


def test_guest_links_of_another_province_are_404(client_for, staff_b, network_a, template, staff_a):
    event = EventFactory(networks=[network_a])
    deploy(template, event=event, phase="pre", user=staff_a)
    guest = PersonFactory(province=network_a.province)
    assert client_for(staff_b).get(reverse("surveys:guest_links", args=[event.pk, guest.pk])).status_code == 404
