"""Changes to networks: board terms and their seats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.indicators import IndicatorSource
from networks.models import BoardSeat, BoardTerm, Indicator, IndicatorActual, Network, Province


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


def indicator_actual_record(
    *,
    user: Any,
    indicator: Any,
    province: Any,
    as_of: Any,
    value: Any,
    evidence: Any,
    note: str = "",
) -> Any:
    """Record a hand-entered actual of a manual indicator with its evidence file.

    Central staff record for any province (or overall, without a province); provincial
    staff only for their own province. Raises ValidationError for a computed indicator or
    a missing evidence file, PermissionDenied outside the user's scope."""
    if not (user.is_authenticated and user.is_portal_staff):
        raise PermissionDenied
    if not Indicator.objects.visible_to(user).filter(pk=indicator.pk).exists():
        raise PermissionDenied
    if province is None and not user.is_central:
        raise PermissionDenied
    if province is not None and not Province.objects.visible_to(user).filter(pk=province.pk).exists():
        raise PermissionDenied
    if indicator.source != IndicatorSource.MANUAL:
        raise ValidationError(_("This indicator is computed by the portal; it takes no hand-entered value."))
    if not evidence:
        raise ValidationError(_("Attach the evidence file."))
    actual = IndicatorActual(
        indicator=indicator,
        province=province,
        as_of=as_of,
        value=value,
        evidence=evidence,
        note=note,
        entered_by=user,
        entered_at=timezone.now(),
    )
    with transaction.atomic():
        actual.full_clean()
        actual.save()
    return actual
