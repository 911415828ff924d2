"""Reads for events, always scoped through ``visible_to``.

The attendance figures here are the ones every page and report shows (reports reuse
:func:`event_attendance_figures`, :func:`event_attendance_by_province` and
:func:`person_attendance_history`), so figures cannot disagree.

Definitions
-----------
- *attended*: people checked in, members and guests, walk-ins included, each once.
- *attendance rate* of an event: invitees who attended / invitees who did not decline
  (walk-ins are not in the rate: nobody expected them). ``None`` when nobody is expected.
- *participant-days*: attended × the event's duration in days (0.5 for a half day).
- *attendance rate* of a person: events she attended / events she was invited to and did
  not decline, counting only events that have ended and were not cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import AgendaItem, Attendance, Event, Invitation
from members.models import Membership, Person
from networks.models import Network, Province
from portal.collation import people_order, vi_sort_key


@dataclass(frozen=True)
class AttendanceFigures:
    """Totals of one event (whole event, every province; no personal data).

    invited, accepted, declined, waitlisted: invitations by status ("invited" counts all).
    attended: people present; attended_members + attended_guests == attended.
    walk_ins: present without an invitation.
    expected: invitations not declined; invited_attended: invitees present.
    attendance_rate: invited_attended / expected as a fraction 0..1, or None.
    participant_days: attended × duration in days.
    """

    invited: int
    accepted: int
    declined: int
    waitlisted: int
    expected: int
    attended: int
    attended_members: int
    attended_guests: int
    walk_ins: int
    invited_attended: int
    attendance_rate: float | None
    participant_days: Decimal

    @property
    def attendance_percent(self) -> int | None:
        return None if self.attendance_rate is None else round(self.attendance_rate * 100)


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def event_attendance_figures(event: Event) -> AttendanceFigures:
    """The attendance figures of ``event`` (two aggregate queries)."""
    inv = Invitation.objects.filter(event=event).aggregate(
        invited=Count("pk"),
        accepted=Count("pk", filter=Q(status=Invitation.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Invitation.Status.DECLINED)),
        waitlisted=Count("pk", filter=Q(status=Invitation.Status.WAITLISTED)),
        invited_attended=Count("pk", filter=Q(status__in=_EXPECTED, attendance__isnull=False)),
    )
    att = Attendance.objects.filter(event=event).aggregate(
        attended=Count("pk"),
        members=Count("pk", filter=Q(is_member=True)),
        walk_ins=Count("pk", filter=Q(method=Attendance.Method.WALK_IN)),
    )
    expected = inv["invited"] - inv["declined"]
    return AttendanceFigures(
        invited=inv["invited"],
        accepted=inv["accepted"],
        declined=inv["declined"],
        waitlisted=inv["waitlisted"],
        expected=expected,
        attended=att["attended"],
        attended_members=att["members"],
        attended_guests=att["attended"] - att["members"],
        walk_ins=att["walk_ins"],
        invited_attended=inv["invited_attended"],
        attendance_rate=_rate(inv["invited_attended"], expected),
        participant_days=event.duration_days * att["attended"],
    )


_EXPECTED = [Invitation.Status.INVITED, Invitation.Status.ACCEPTED, Invitation.Status.WAITLISTED]


@dataclass(frozen=True)
class ProvinceAttendance:
    """Totals of one province's people at one event: province_id, province (name),
    invited, attended, attended_members, attended_guests."""

    province_id: int
    province: str
    invited: int
    attended: int
    attended_members: int
    attended_guests: int


def event_attendance_by_province(event: Event) -> list[ProvinceAttendance]:
    """Totals per province of the attendees' records, for every province of the event
    (counts only: staff see names of their own province through :func:`event_attendees_for`)."""
    invited = dict(
        Invitation.objects.filter(event=event)
        .values_list("person__province")
        .annotate(n=Count("pk"))
        .values_list("person__province", "n")
    )
    rows = {
        r["person__province"]: r
        for r in Attendance.objects.filter(event=event)
        .values("person__province")
        .annotate(n=Count("pk"), members=Count("pk", filter=Q(is_member=True)))
    }
    provinces = {n.province_id: n.province.name for n in event.networks.all()}
    # Guests may be recorded in a province outside the event's networks.
    extra_ids = (set(invited) | set(rows)) - set(provinces)
    if extra_ids:
        provinces.update(Province.objects.filter(pk__in=extra_ids).values_list("pk", "name"))
    result = []
    for pk, name in sorted(provinces.items(), key=lambda item: vi_sort_key(item[1])):
        row = rows.get(pk, {"n": 0, "members": 0})
        result.append(
            ProvinceAttendance(
                province_id=pk,
                province=name,
                invited=invited.get(pk, 0),
                attended=row["n"],
                attended_members=row["members"],
                attended_guests=row["n"] - row["members"],
            )
        )
    return result


def event_list_for(user, *, network: Network | None = None) -> QuerySet[Event]:  # noqa: ANN001
    """Events the user may see (optionally of one network), with networks and provinces
    prefetched and invited/attended counts annotated (``invited_count``, ``attended_count``)."""
    invited = (
        Invitation.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk")).values("n")
    )
    attended = (
        Attendance.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk")).values("n")
    )
    qs = Event.objects.visible_to(user)
    if network is not None:
        qs = qs.filter(networks=network)
    return qs.prefetch_related(
        Prefetch("networks", queryset=Network.objects.select_related("province")),
    ).annotate(
        invited_count=Coalesce(Subquery(invited, output_field=IntegerField()), Value(0)),
        attended_count=Coalesce(Subquery(attended, output_field=IntegerField()), Value(0)),
    )


def event_detail_for(user, pk: int) -> Event:  # noqa: ANN001
    """One event the user may see, with networks, topics, speakers, agenda and media
    loaded; 404 otherwise."""
    from portal.access import get_for_user_or_404

    qs = Event.objects.prefetch_related(
        Prefetch("networks", queryset=Network.objects.select_related("province")),
        "topics",
        "speakers",
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("speaker")),
        "media",
    )
    return get_for_user_or_404(qs, user, pk=pk)


def event_invitations_for(event: Event, user) -> QuerySet[Invitation]:  # noqa: ANN001
    """The invitations of ``event`` the user may see by name (her province's people on a
    cross-province event), with the person and any attendance loaded."""
    return (
        Invitation.objects.visible_to(user)
        .filter(event=event)
        .select_related("person", "person__province", "attendance")
        .order_by(*people_order("person__full_name"))
    )


def event_attendees_for(event: Event, user) -> QuerySet[Attendance]:  # noqa: ANN001
    """The attendees of ``event`` the user may see by name."""
    return (
        Attendance.objects.visible_to(user)
        .filter(event=event)
        .select_related("person", "person__province")
        .order_by(*people_order("person__full_name"))
    )


@dataclass(frozen=True)
class PersonAttendance:
    """One person's record: ``invitations`` (with event and attendance loaded),
    ``walk_ins`` (attendances without invitation), ``expected`` (ended, not cancelled,
    not declined), ``attended`` (of those), ``attendance_rate`` (fraction or None)."""

    invitations: list[Invitation]
    walk_ins: list[Attendance]
    expected: int
    attended: int
    attendance_rate: float | None


def person_attendance_history(person: Person) -> PersonAttendance:
    """The events ``person`` is invited to and her attendance record."""
    invitations = list(
        Invitation.objects.filter(person=person)
        .select_related("event", "attendance")
        .prefetch_related("event__networks")
        .order_by("-event__starts_at")
    )
    walk_ins = list(
        Attendance.objects.filter(person=person, invitation__isnull=True)
        .select_related("event")
        .order_by("-event__starts_at")
    )
    now = timezone.now()
    counted = [
        i
        for i in invitations
        if i.event.ends_at < now and i.event.status != Event.Status.CANCELLED and i.status != Invitation.Status.DECLINED
    ]
    attended = sum(1 for i in counted if _has_attendance(i))
    return PersonAttendance(
        invitations=invitations,
        walk_ins=walk_ins,
        expected=len(counted),
        attended=attended,
        attendance_rate=_rate(attended, len(counted)),
    )


def _has_attendance(invitation: Invitation) -> bool:
    try:
        return invitation.attendance is not None
    except Attendance.DoesNotExist:
        return False


@dataclass(frozen=True)
class MemberAttendanceRow:
    """One person's attendance across events: person_id, full_name, province, expected
    (invited, not declined, to ended and not cancelled events), attended (of those),
    attendance_rate (fraction or None)."""

    person_id: int
    full_name: str
    province: str
    expected: int
    attended: int
    attendance_rate: float | None


def member_attendance_rates(user, *, network: Network | None = None) -> list[MemberAttendanceRow]:  # noqa: ANN001
    """Attendance rate per person the user may see by name (one aggregate query), for
    people with at least one counted invitation; optionally only members of ``network``."""
    return attendance_rows(member_attendance_query(user, network=network))


def attendance_rows(rows: Any) -> list[MemberAttendanceRow]:
    """Rows of :func:`member_attendance_query` (all of them, or one page) as dataclasses."""
    return [
        MemberAttendanceRow(
            person_id=r["pk"],
            full_name=r["full_name"],
            province=r["province__name"],
            expected=r["expected"],
            attended=r["attended"],
            attendance_rate=_rate(r["attended"], r["expected"]),
        )
        for r in rows
    ]


def member_attendance_query(user, *, network: Network | None = None) -> QuerySet:  # noqa: ANN001
    """The query behind :func:`member_attendance_rates`, ordered by name, so a page of it
    can be sliced in the database: people with a counted invitation (a semi-join, walked
    in name order by the index), and per-person counts as subqueries that the database
    evaluates for the rows of the page only."""
    counted = (
        Invitation.objects.filter(person=OuterRef("pk"), event__ends_at__lt=timezone.now(), status__in=_EXPECTED)
        .exclude(event__status=Event.Status.CANCELLED)
        .order_by()
    )
    people = Person.objects.visible_to(user)
    if network is not None:
        people = people.filter(pk__in=Membership.objects.filter(network=network).values("person_id"))

    def number(invitations: QuerySet) -> Coalesce:
        return Coalesce(
            Subquery(invitations.values("person").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        )

    return (
        people.filter(Exists(counted))
        .annotate(expected=number(counted), attended=number(counted.filter(attendance__isnull=False)))
        .values("pk", "full_name", "province__name", "expected", "attended")
        .order_by("full_name", "pk")
    )
