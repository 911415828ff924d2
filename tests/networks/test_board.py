"""Board terms: exactly one chair, members only, past terms kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from networks.models import BoardSeat, BoardTerm
from networks.services import SeatSpec, board_term_create
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_term_needs_exactly_one_chair(network_a):
    a, b = MembershipFactory(network=network_a).person, MembershipFactory(network=network_a).person
    for roles in (["vice_chair", "member"], ["chair", "chair"]):
        with pytest.raises(ValidationError):
            board_term_create(
                network=network_a, starts_on=D(2026, 1, 1), seats=[SeatSpec(a.pk, roles[0]), SeatSpec(b.pk, roles[1])]
            )
    assert not BoardTerm.objects.exists()


def test_only_members_hold_seats_and_nothing_is_saved_otherwise(network_a):
    member = MembershipFactory(network=network_a).person
    candidate = MembershipFactory(network=network_a, status="candidate").person
    outsider = PersonFactory(province=network_a.province)
    for other in (candidate, outsider):
        with pytest.raises(ValidationError):
            board_term_create(
                network=network_a,
                starts_on=D(2026, 1, 1),
                seats=[SeatSpec(member.pk, "chair"), SeatSpec(other.pk, "member")],
            )
    assert not BoardTerm.objects.exists() and not BoardSeat.objects.exists()


def test_a_new_term_closes_the_previous_one_and_keeps_it(network_a):
    chair = MembershipFactory(network=network_a).person
    first = board_term_create(
        network=network_a,
        starts_on=D(2022, 11, 20),
        how_elected="Lễ ra mắt",
        seats=[SeatSpec(chair.pk, "chair", "Điều hành")],
    )
    board_term_create(network=network_a, starts_on=D(2025, 11, 20), seats=[SeatSpec(chair.pk, "chair")])
    first.refresh_from_db()
    assert first.ends_on == D(2025, 11, 19) and BoardTerm.objects.count() == 2
    assert first.seats.get().tasks == "Điều hành"
