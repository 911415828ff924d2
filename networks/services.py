"""Changes to networks: board terms and their seats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.models import BoardSeat, BoardTerm, Network


@dataclass(frozen=True)
class SeatSpec:
    person_id: int
    role: str
    tasks: str = ""


@transaction.atomic
def board_term_create(
    *, network: Network, starts_on: date, seats: Sequence[SeatSpec], ends_on: date | None = None, how_elected: str = ""
) -> BoardTerm:
    """Record an elected board: exactly one chair, every seat held by a member of the
    network (validated by ``BoardSeat.clean``). Earlier terms are kept; the previous open
    term ends the day before this one starts."""
    chairs = sum(1 for seat in seats if seat.role == BoardSeat.Role.CHAIR)
    if chairs != 1:
        raise ValidationError(_("A board term has exactly one chair."))
    term = BoardTerm(network=network, starts_on=starts_on, ends_on=ends_on, how_elected=how_elected)
    term.full_clean()
    previous = network.board_terms.filter(ends_on__isnull=True, starts_on__lt=starts_on)
    for old in previous:
        old.ends_on = starts_on.fromordinal(starts_on.toordinal() - 1)
        old.save(update_fields=["ends_on"])
    term.save()
    for spec in seats:
        seat = BoardSeat(term=term, person_id=spec.person_id, role=spec.role, tasks=spec.tasks)
        seat.full_clean()
        seat.save()
    return term
