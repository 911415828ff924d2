"""Invitees with an e-mail address get their personal link, once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from events import services
from events.models import Invitation

pytestmark = pytest.mark.django_db


def test_invitees_get_their_personal_link_once(staff_a, training_a, members_a, settings):
    settings.SITE_URL = "https://portal.example"
    created = services.invitation_invite_members(event=training_a, by=staff_a)
    ids = [i.pk for i in created]
    assert services.invitation_send_emails(invitation_ids=ids) == 3
    assert services.invitation_send_emails(invitation_ids=ids) == 0
    assert len(mail.outbox) == 3
    invitation = Invitation.objects.get(person=members_a[0])
    message = next(m for m in mail.outbox if m.to == [members_a[0].email])
    assert f"https://portal.example/events/rsvp/{invitation.token}/" in message.body
    assert training_a.title in message.subject
    assert invitation.emailed_at is not None


def test_people_without_address_are_skipped(staff_a, training_a, network_a):
    invitation = services.invitation_invite_guest(
        event=training_a, by=staff_a, province=network_a.province, full_name="Khách Không Thư"
    )
    assert services.invitation_send_emails(invitation_ids=[invitation.pk]) == 0
    assert mail.outbox == []


def test_inviting_queues_the_emails_after_commit(
    client_for, staff_a, training_a, members_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client_for(staff_a).post(reverse("events:invite_members", args=[training_a.pk]))
    assert len(callbacks) == 1
