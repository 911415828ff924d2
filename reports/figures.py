"""The report's figures: one function per section, each returning plain dicts and lists.

Every function takes network ids (already checked against the requester's scope by the
service) and reads with aggregates, so the query count does not grow with the number of
networks. Labels are produced in the active language: call inside
``translation.override(report.language)``.

Sections still to add when their apps land: boards (issue 3), event attendance,
participant-days, members and guests, media coverage (issue 4), needs-survey highlights
and pre/post change per training (issue 5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from events.models import Event
from members.models import Category, Membership, Person
from networks.models import Network
from reports.models import LessonsLearned

MAJORITY_ETHNICITY = "kinh"


def _in_period(start: date, end: date) -> Q:
    """Events that start within the period (dates in the portal's time zone)."""
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    until = timezone.make_aware(datetime.combine(end, datetime.max.time()), tz)
    return Q(starts_at__gte=since, starts_at__lte=until)


def _event_days(event: Event) -> int:
    tz = timezone.get_current_timezone()
    return (timezone.localtime(event.ends_at, tz).date() - timezone.localtime(event.starts_at, tz).date()).days + 1


def _active_members(network_ids: Sequence[int]) -> Q:
    return Q(memberships__network_id__in=network_ids, memberships__status=Membership.Status.MEMBER)


def summary(network_ids: Sequence[int], start: date, end: date) -> dict[str, Any]:
    """Headline figures over all the networks: networks, members (distinct people with an
    active membership), events by kind and event-days in the period, ethnic-minority
    share of members, communes covered by members' home communes."""
    people = Person.objects.filter(_active_members(network_ids)).distinct()
    counts = people.aggregate(
        members=Count("pk", distinct=True),
        with_ethnicity=Count("pk", filter=~Q(ethnicity=""), distinct=True),
        minority=Count("pk", filter=~Q(ethnicity="") & ~Q(ethnicity__iexact=MAJORITY_ETHNICITY), distinct=True),
        communes=Count("commune", distinct=True),
        young=Count("pk", filter=Q(is_young_potential_leader=True), distinct=True),
    )
    events = list(
        Event.objects.filter(_in_period(start, end), networks__in=network_ids)
        .exclude(status=Event.Status.CANCELLED)
        .distinct()
        .only("kind", "starts_at", "ends_at")
    )
    by_kind: dict[str, int] = defaultdict(int)
    for event in events:
        by_kind[event.kind] += 1
    labels = dict(Event.Kind.choices)
    share = round(100 * counts["minority"] / counts["with_ethnicity"], 1) if counts["with_ethnicity"] else 0.0
    return {
        "networks": len(network_ids),
        "members": counts["members"],
        "events": len(events),
        "event_days": sum(_event_days(e) for e in events),
        "events_by_kind": [
            {"kind": kind, "label": str(labels[kind]), "count": by_kind[kind]} for kind in labels if by_kind[kind]
        ],
        "ethnic_minority_members": counts["minority"],
        "ethnic_minority_share": share,
        "communes_covered": counts["communes"],
        "young_potential_leaders": counts["young"],
    }


def network_facts(network_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Founding facts and active member count per network, by province then name."""
    networks = (
        Network.objects.filter(pk__in=network_ids)
        .select_related("province", "legacy_province")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.MEMBER)))
        .order_by("province__name", "name")
    )
    return [
        {
            "id": n.pk,
            "name": n.name,
            "province": n.province.name,
            "founded_as": n.historical_province_name,
            "kind": n.get_kind_display(),
            "status": n.get_status_display(),
            "launch_date": n.launch_date.isoformat() if n.launch_date else "",
            "members": n.member_count,
        }
        for n in networks
    ]


def members_by_category(network_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Active members per primary category, per network (categories in handbook order)."""
    rows = (
        Membership.objects.filter(network_id__in=network_ids, status=Membership.Status.MEMBER)
        .values("network_id", "person__category")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        code = row["person__category"] or Category.OTHER
        counts[row["network_id"]][code] = counts[row["network_id"]].get(code, 0) + row["n"]
    return {
        network_id: [
            {"category": code, "label": str(label), "count": counts[network_id].get(code, 0)}
            for code, label in Category.choices
        ]
        for network_id in network_ids
    }


def events_by_network(network_ids: Sequence[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """Events of each network that start in the period, oldest first (attendance is
    added once the events app records it)."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    through = Event.networks.through.objects.filter(
        network_id__in=network_ids, event__in=Event.objects.filter(_in_period(start, end))
    ).select_related("event")
    for link in sorted(through, key=lambda t: (t.event.starts_at, t.event.pk)):
        event = link.event
        result[link.network_id].append(
            {
                "title": event.title,
                "kind": event.get_kind_display(),
                "status": event.get_status_display(),
                "starts": timezone.localtime(event.starts_at).date().isoformat(),
                "ends": timezone.localtime(event.ends_at).date().isoformat(),
                "days": _event_days(event),
            }
        )
    return result


def _lessons_dict(entry: LessonsLearned) -> dict[str, Any]:
    return {
        "period_start": entry.period_start.isoformat(),
        "period_end": entry.period_end.isoformat(),
        "achievements": entry.achievements,
        "difficulties": entry.difficulties,
        "lessons": entry.lessons,
        "next_steps": entry.next_steps,
    }


def lessons_by_network(network_ids: Sequence[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """Lessons-learned entries of each network whose period overlaps the report's."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    entries = LessonsLearned.objects.filter(
        network_id__in=network_ids, period_start__lte=end, period_end__gte=start
    ).order_by("period_start")
    for entry in entries:
        result[entry.network_id].append(_lessons_dict(entry))
    return result


def overall_lessons(start: date, end: date) -> list[dict[str, Any]]:
    """The central staff's overall section(s) overlapping the period."""
    entries = LessonsLearned.objects.filter(
        network__isnull=True, period_start__lte=end, period_end__gte=start
    ).order_by("period_start")
    return [_lessons_dict(entry) for entry in entries]


def member_list(network_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Active members by name: personal data, for provincial reports only."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    rows = (
        Membership.objects.filter(network_id__in=network_ids, status=Membership.Status.MEMBER)
        .select_related("person")
        .order_by("person__full_name")
    )
    for row in rows:
        person = row.person
        result[row.network_id].append(
            {
                "full_name": person.full_name,
                "organisation": person.organisation,
                "position": person.position,
                "category": person.get_category_display(),
                "joined_on": row.joined_on.isoformat() if row.joined_on else "",
            }
        )
    return result
