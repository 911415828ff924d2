"""Period truth: what a report counts for its period, as the data stood at its cut-off.

A report covers ``start``–``end`` and is generated with a data cut-off (the moment its
generation started, stored on the request). Every figure reads through these helpers, so
regenerating an old report with its old cut-off gives the same numbers whatever was
entered since:

* an event counts as delivered when it starts in the period, has ended by the cut-off,
  was entered by the cut-off and was marked held as of the cut-off (its history tells
  the status it had then); events still planned are listed as "next period";
* attendance and invitations count when recorded by the cut-off;
* a membership counts when the pipeline's dated steps made her a member as of the
  period end (or the cut-off, if earlier); rows without steps (bulk-loaded legacy
  data) fall back to their status and "member since" date;
* survey answers count when submitted by the cut-off; media items and lessons learned
  as entered by the cut-off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from events.models import Event
from members.models import Membership, MembershipStep


@dataclass(frozen=True)
class Window:
    """A report's period and data cut-off."""

    start: date
    end: date
    cutoff: datetime

    @classmethod
    def of(cls, start: date, end: date, cutoff: datetime | None = None) -> Window:
        return cls(start, end, cutoff or timezone.now())

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min), timezone.get_current_timezone())

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.max), timezone.get_current_timezone())

    @property
    def as_of(self) -> datetime:
        """The moment "as of the period end" means: the end, or the cut-off if earlier."""
        return min(self.until, self.cutoff)

    @property
    def as_of_date(self) -> date:
        return timezone.localdate(self.as_of)


def _status_at_cutoff(events: Sequence[Event], cutoff: datetime) -> dict[int, str]:
    """Each event's status as of ``cutoff``: the current one unless its history shows a
    change after the cut-off (two queries at most)."""
    status = {event.pk: event.status for event in events}
    history = Event.history.model.objects
    changed = set(history.filter(id__in=list(status), history_date__gt=cutoff).values_list("id", flat=True).distinct())
    if changed:
        rows = history.filter(id__in=changed, history_date__lte=cutoff).order_by("id", "history_date", "history_id")
        for event_id, then in rows.values_list("id", "status"):
            status[event_id] = then
    return status


def period_events(network_ids: Sequence[int], window: Window) -> tuple[list[Event], list[Event]]:
    """(delivered, next period) events of the networks, oldest first, each once.

    Delivered: started in the period, ended by the cut-off and held as of the cut-off.
    Next period: planned as of the cut-off and starting in the period or after it (not
    yet held), up to a year after the period end."""
    horizon = window.until.replace(year=window.until.year + 1)
    candidates = list(
        Event.objects.filter(
            networks__in=network_ids, starts_at__gte=window.since, starts_at__lte=horizon, created_at__lte=window.cutoff
        )
        .distinct()
        .order_by("starts_at", "pk")
    )
    status = _status_at_cutoff(candidates, window.cutoff)
    delivered = [
        e
        for e in candidates
        if status[e.pk] == Event.Status.HELD and e.starts_at <= window.until and e.ends_at <= window.cutoff
    ]
    held = {e.pk for e in delivered}
    upcoming = [e for e in candidates if e.pk not in held and status[e.pk] == Event.Status.PLANNED]
    return delivered, upcoming


def memberships_as_of(network_ids: Sequence[int], when: datetime) -> QuerySet[Membership]:
    """Memberships of the networks that were "member" at ``when``, from the pipeline's
    dated steps: the latest step at or before ``when`` or, when every step is later, the
    status the first later step started from (a member recorded before the pipeline
    existed). Memberships without any step count by their status and "member since"."""
    steps = MembershipStep.objects.filter(membership=OuterRef("pk"))
    last = steps.filter(acted_at__lte=when).order_by("-acted_at", "-pk").values("to_status")[:1]
    before_first_later = steps.filter(acted_at__gt=when).order_by("acted_at", "pk").values("from_status")[:1]
    day = timezone.localdate(when)
    return (
        Membership.objects.filter(network_id__in=network_ids)
        .annotate(status_then=Subquery(last), status_before=Subquery(before_first_later), has_steps=Exists(steps))
        .filter(
            Q(status_then=Membership.Status.MEMBER)
            | Q(status_then__isnull=True, status_before=Membership.Status.MEMBER)
            | Q(
                Q(joined_on__isnull=True) | Q(joined_on__lte=day),
                has_steps=False,
                status=Membership.Status.MEMBER,
            )
        )
    )
