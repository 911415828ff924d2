"""Deploying a template: to a network or an event, e-mail invitations, short link and QR."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from surveys.models import Deployment, SurveyTemplate
from surveys.services import deployment_send_invitations
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _form(template, **extra):
    return {
        "template": template.pk,
        "opens_at": "2026-01-01T08:00",
        "closes_at": "2030-01-01T08:00",
        **extra,
    }


def test_staff_deploy_the_needs_survey_and_members_get_the_link(
    shipped_templates, network_a, staff_a, client_for, django_capture_on_commit_callbacks
):
    MembershipFactory(network=network_a, person__email="hoa@example.org")
    MembershipFactory(network=network_a, person__email="")
    needs = SurveyTemplate.objects.get(family="needs-survey")
    with django_capture_on_commit_callbacks() as queued:
        response = client_for(staff_a).post(reverse("surveys:new"), _form(needs, network=network_a.pk))
    deployment = Deployment.objects.get()
    assert response.status_code == 302 and list(deployment.networks.all()) == [network_a]
    assert len(queued) == 1, "the invitations are queued once the deployment is committed"
    # What the queued task runs (called here directly, whatever the broker):
    assert deployment_send_invitations(deployment_id=deployment.pk) == 1
    assert [m.to for m in mail.outbox] == [["hoa@example.org"]]
    assert reverse("surveys:fill", args=[deployment.token]) in mail.outbox[0].body
    assert "Kính gửi chị" in mail.outbox[0].body
    deployment.refresh_from_db()
    assert deployment.invitations_sent_at is not None
    assert deployment_send_invitations(deployment_id=deployment.pk) == 0, "idempotent: no second mailing"
    assert len(mail.outbox) == 1


def test_the_detail_page_shows_the_short_link_and_qr(deployment_a, staff_a, client_for):
    client = client_for(staff_a)
    page = client.get(reverse("surveys:detail", args=[deployment_a.pk]))
    html = page.content.decode()
    assert f"/surveys/s/{deployment_a.token}/" in html and "<svg" in html
    png = client.get(reverse("surveys:qr", args=[deployment_a.pk]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_a_training_survey_goes_to_an_event_with_a_phase(shipped_templates, network_a, staff_a, client_for):
    training = SurveyTemplate.objects.get(family="training-pre-post")
    client = client_for(staff_a)
    page = client.post(reverse("surveys:new"), _form(training, network=network_a.pk))
    assert page.status_code == 400 and Deployment.objects.count() == 0
    event = EventFactory(networks=[network_a])
    ok = client.post(reverse("surveys:new"), _form(training, event=event.pk, phase="pre"))
    assert ok.status_code == 302 and Deployment.objects.get().phase == "pre"


def test_closing_before_opening_is_rejected(deployment_a, template, network_a, staff_a, client_for):
    page = client_for(staff_a).post(
        reverse("surveys:new"), _form(template, network=network_a.pk, closes_at="2025-01-01T08:00")
    )
    assert page.status_code == 400 and Deployment.objects.count() == 1


def test_staff_cannot_deploy_to_another_provinces_network(template, network_b, staff_a, client_for):
    page = client_for(staff_a).post(reverse("surveys:new"), _form(template, network=network_b.pk))
    assert page.status_code == 400 and Deployment.objects.count() == 0


def test_members_cannot_deploy(template, member_a, client_for):
    assert client_for(member_a).get(reverse("surveys:new")).status_code == 404
