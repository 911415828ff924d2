"""Membership invitation e-mails are sent by a Celery task after the transaction
commits, not inside the staff member's request; used or retired links are not mailed."""

from __future__ import annotations

import pytest
from django.core import mail

from members import services
from members.tasks import send_membership_invitations
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _approved(network, staff, n):
    memberships = [
        MembershipFactory(network=network, status="candidate", person__email=f"moi{i}@example.org") for i in range(n)
    ]
    services.membership_approve(memberships=memberships, actor=staff, reference="CV 12")
    return memberships


def test_invitations_are_mailed_by_one_task_after_commit(network_a, staff_a, django_capture_on_commit_callbacks):
    memberships = _approved(network_a, staff_a, 3)
    with django_capture_on_commit_callbacks() as callbacks:
        sent = services.membership_invite(memberships=memberships, actor=staff_a, link_for=lambda s: f"/apply/{s}/")
    assert len(mail.outbox) == 0  # nothing mailed inside the transaction
    assert len(callbacks) == 1  # one task queued for all of them
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["moi0@example.org", "moi1@example.org", "moi2@example.org"]
    for invitation in sent:
        assert sum(invitation.url in m.body for m in mail.outbox) == 1


def test_a_retired_link_is_not_mailed(network_a, staff_a, django_capture_on_commit_callbacks):
    [membership] = _approved(network_a, staff_a, 1)
    [first] = services.membership_invite(memberships=[membership], actor=staff_a, link_for=lambda s: s)
    services.membership_invite(memberships=[membership], actor=staff_a, link_for=lambda s: s)  # retires the first
    mail.outbox.clear()
    assert send_membership_invitations.delay([[first.invitation.pk, first.url]]).get() == 0
    assert mail.outbox == []
