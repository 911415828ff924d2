"""Queuing a deployment's invitations is one statement in the database, whatever the number
of people: members and guests each get one invitation with their own random token, and
queuing again adds nothing."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Attendance
from surveys import services
from surveys.models import SurveyInvitation
from tests.factories import EventFactory, MembershipFactory, PersonFactory
from tests.surveys.factories import deploy

pytestmark = pytest.mark.django_db


def _queue(deployment) -> tuple[int, list[tuple[str, int]]]:
    statements: list[tuple[str, int]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, len(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        added = services.deployment_queue_invitations(deployment=deployment)
    return added, statements


@pytest.mark.parametrize("members", [3, 40])
def test_queuing_sends_the_same_statements_whatever_the_number_of_members(template, network_a, staff_a, members):
    MembershipFactory.create_batch(members, network=network_a)
    MembershipFactory(network=network_a, status="candidate")  # not a member: not invited
    deployment = deploy(template, network=network_a, user=staff_a)

    added, statements = _queue(deployment)
    assert added == members == SurveyInvitation.objects.filter(deployment=deployment).count()
    inserts = [(sql, n) for sql, n in statements if sql.lstrip().upper().startswith("INSERT")]
    # One INSERT … SELECT, its parameters the same for 3 members as for 40.
    assert len(statements) == 1 and len(inserts) == 1 and inserts[0][1] < 20, statements

    tokens = list(SurveyInvitation.objects.filter(deployment=deployment).values_list("token", flat=True))
    assert len(set(tokens)) == members and all(re.fullmatch(r"[0-9a-f]{32}", t) for t in tokens)
    assert not SurveyInvitation.objects.filter(deployment=deployment, is_guest=True).exists()
    assert _queue(deployment)[0] == 0  # queuing again adds nothing


def test_an_event_survey_invites_members_and_guests_once_each(template, network_a, staff_a):
    event = EventFactory(networks=[network_a])
    member = MembershipFactory(network=network_a).person
    guest = PersonFactory(province=network_a.province)
    now = timezone.now()
    Attendance.objects.create(event=event, person=guest, is_member=False, checked_in_at=now)
    # A member checked in as a guest is invited once, as a member.
    Attendance.objects.create(event=event, person=member, is_member=False, checked_in_at=now)
    deployment = deploy(template, event=event, user=staff_a)
    assert _queue(deployment)[0] == 2
    invited = dict(SurveyInvitation.objects.filter(deployment=deployment).values_list("person_id", "is_guest"))
    assert {pid: is_guest for pid, is_guest in invited.items() if pid in (member.pk, guest.pk)} == {
        member.pk: False,
        guest.pk: True,
    }
    assert _queue(deployment)[0] == 0
    link = services.personal_link_path(SurveyInvitation.objects.get(deployment=deployment, person=guest))
    assert services.invitation_from_link(token=deployment.token, signed=link.rstrip("/").split("/")[-1]).person == guest
