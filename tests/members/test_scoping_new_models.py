"""Every model this issue adds is scoped: staff of province B see none of province A's rows,
board members see their own network's, members their own rows."""

from __future__ import annotations

import datetime

import pytest

from members import services
from members.models import Consent, Invitation, MembershipStep
from networks.models import ActivityPlan, BoardSeat, BoardTerm, PlannedActivity
from tests.members.conftest import link_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows_a(candidate_a, staff_a, network_a, member_a):
    services.membership_approve(memberships=[candidate_a], actor=staff_a, reference="CV 1")
    [sent] = services.membership_invite(memberships=[candidate_a], actor=staff_a, link_for=link_for)
    services.application_submit(invitation=sent.invitation, data={"full_name": "Nguyễn Thị Hoa"})
    plan = ActivityPlan.objects.create(network=network_a, year=2026)
    term = BoardTerm.objects.create(network=network_a, starts_on=datetime.date(2026, 1, 1))
    member_person = member_a.person
    return {
        MembershipStep: MembershipStep.objects.filter(membership=candidate_a).first(),
        Invitation: sent.invitation,
        Consent: Consent.objects.get(person=candidate_a.person),
        ActivityPlan: plan,
        PlannedActivity: PlannedActivity.objects.create(plan=plan, title="Tập huấn 1", target="40 người"),
        BoardTerm: term,
        BoardSeat: BoardSeat.objects.create(term=term, person=member_person, role="chair"),
    }


@pytest.mark.parametrize(
    "model",
    [MembershipStep, Invitation, Consent, ActivityPlan, PlannedActivity, BoardTerm, BoardSeat],
    ids=lambda m: m.__name__,
)
def test_province_b_sees_none_of_province_a_rows(model, rows_a, staff_a, staff_b, central_staff, donor_viewer):
    obj = rows_a[model]
    assert model.objects.visible_to(staff_a).filter(pk=obj.pk).exists(), "positive control"
    assert model.objects.visible_to(central_staff).filter(pk=obj.pk).exists()
    assert not model.objects.visible_to(staff_b).filter(pk=obj.pk).exists()
    assert not model.objects.visible_to(donor_viewer).filter(pk=obj.pk).exists()


def test_a_member_sees_her_own_consent_and_seat_only(rows_a, member_a):
    assert not Consent.objects.visible_to(member_a).exists()  # the consent is the candidate's
    assert list(BoardSeat.objects.visible_to(member_a)) == [rows_a[BoardSeat]]
    assert not Invitation.objects.visible_to(member_a).exists()
