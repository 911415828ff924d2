"""What each role should do next: the reads behind the home page.

Every section is a fixed number of queries (a count and the first rows), whatever the
number of pending items — ``make bench`` pins it (``home_page_staff_queries``). Rows come
through ``visible_to``, so a provincial user's home page lists her province only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Invitation
from members.models import Membership, Person
from networks.models import Network, Task
from portal.privacy import MIN_GROUP_SIZE, shown_count
from portal.roles import Role
from portal.rules import may
from surveys.models import Deployment, Response

SHOWN = 8  # rows listed per section; the count tells how many in all


@dataclass
class Item:
    label: str
    url: str
    detail: str = ""


@dataclass
class Section:
    key: str
    title: Any
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str = ""
    empty: Any = _("Nothing waiting.")


def _date(value: Any) -> str:
    return (
        timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if hasattr(value, "tzinfo") else value.strftime("%d/%m/%Y")
    )


def _pipeline_sections(user: Any, memberships: QuerySet[Membership], link_staff: bool) -> list[Section]:
    counts = memberships.aggregate(
        applied=Count("pk", filter=Q(status=Membership.Status.APPLIED)),
        candidates=Count("pk", filter=Q(status=Membership.Status.CANDIDATE)),
    )
    pipeline = reverse("members:pipeline")
    sections = []
    applied = list(
        memberships.filter(status=Membership.Status.APPLIED)
        .select_related("person", "network")
        .order_by("status_changed_at", "pk")[:SHOWN]
    )
    sections.append(
        Section(
            key="applications",
            title=_("Applications waiting for a decision"),
            count=counts["applied"],
            items=[
                Item(
                    m.person.full_name,
                    reverse("members:membership", args=[m.pk])
                    if link_staff
                    else reverse("networks:detail", args=[m.network_id]),
                    m.network.name,
                )
                for m in applied
            ],
            more_url=f"{pipeline}?status=applied" if link_staff else "",
        )
    )
    if link_staff:
        sections.append(
            Section(
                key="candidates",
                title=_("Candidates waiting for the leadership's approval"),
                count=counts["candidates"],
                items=[Item(_("Open the candidate list"), f"{pipeline}?status=candidate")]
                if counts["candidates"]
                else [],
                more_url=f"{pipeline}?status=candidate",
            )
        )
    return sections


def _removal_section(user: Any) -> Section:
    people = Person.objects.visible_to(user).filter(removal_requested_at__isnull=False, anonymised_at__isnull=True)
    rows = list(people.order_by("removal_requested_at", "pk")[:SHOWN])
    return Section(
        key="removals",
        title=_("Requests to remove personal data"),
        count=people.count(),
        items=[Item(p.full_name, reverse("members:person", args=[p.pk]), _date(p.removal_requested_at)) for p in rows],
    )


def _survey_section(user: Any, deployments: QuerySet[Deployment], staff: bool) -> Section:
    """Open surveys with their response rate: submitted answers out of the members reached."""
    now = timezone.now()
    open_ = deployments.filter(opens_at__lte=now, closes_at__gt=now)
    rows = list(
        open_.select_related("template")
        .annotate(submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True))
        .order_by("closes_at", "pk")[:SHOWN]
    )
    reached = dict(
        Membership.objects.filter(status=Membership.Status.MEMBER, network__reached_by_surveys__in=[d.pk for d in rows])
        .values("network__reached_by_surveys")
        .annotate(n=Count("person", distinct=True))
        .values_list("network__reached_by_surveys", "n")
    )
    items = []
    for d in rows:
        total = reached.get(d.pk, 0)
        rate = f"{round(100 * d.submitted / total)}%" if total else "—"
        detail = _("%(submitted)d of %(reached)d answered (%(rate)s), closes %(closes)s") % {
            "submitted": d.submitted,
            "reached": total,
            "rate": rate,
            "closes": _date(d.closes_at),
        }
        url = reverse("surveys:detail", args=[d.pk]) if staff else reverse("surveys:fill", args=[d.token])
        items.append(Item(str(d.template), url, detail))
    return Section(
        key="surveys",
        title=_("Surveys open now"),
        count=open_.count(),
        items=items,
        more_url=reverse("surveys:list") if staff else "",
    )


def _events_week_section(events: QuerySet[Event]) -> Section:
    now = timezone.now()
    week = events.filter(ends_at__gte=now, starts_at__lte=now + timedelta(days=7)).exclude(
        status=Event.Status.CANCELLED
    )
    rows = list(
        week.annotate(
            invited=Count("invitations", distinct=True),
            accepted=Count("invitations", filter=Q(invitations__status=Invitation.Status.ACCEPTED), distinct=True),
        ).order_by("starts_at", "pk")[:SHOWN]
    )
    items = [
        Item(
            e.title,
            reverse("events:detail", args=[e.pk]),
            _("%(when)s · %(invited)d invited, %(accepted)d accepted")
            % {"when": _date(e.starts_at), "invited": e.invited, "accepted": e.accepted},
        )
        for e in rows
    ]
    return Section(key="events_week", title=_("Events this week"), count=week.count(), items=items)


def _approval_section(events: QuerySet[Event]) -> Section:
    waiting = events.filter(awaiting_approval=True)
    rows = list(waiting.order_by("starts_at", "pk")[:SHOWN])
    return Section(
        key="approvals",
        title=_("Events waiting for approval"),
        count=waiting.count(),
        items=[Item(e.title, reverse("events:detail", args=[e.pk]), _date(e.starts_at)) for e in rows],
    )


def _tasks_section(tasks: QuerySet[Task], key: str, title: Any, within_days: int | None = 7) -> Section:
    open_ = tasks.filter(status__in=Task.OPEN_STATUSES)
    if within_days is not None:
        open_ = open_.filter(deadline__lte=timezone.localdate() + timedelta(days=within_days))
    rows = list(open_.select_related("assignee", "network").order_by("deadline", "pk")[:SHOWN])
    today = timezone.localdate()
    return Section(
        key=key,
        title=title,
        count=open_.count(),
        items=[
            Item(
                t.title,
                reverse("networks:task", args=[t.pk]),
                f"{t.assignee.full_name} · {t.deadline:%d/%m/%Y}"
                + (f" · {_('overdue')}" if t.deadline < today else ""),
            )
            for t in rows
        ],
    )


def _quarterly_section(user: Any) -> Section:
    """Quarterly reports to act on: for provincial staff, those due or returned with
    comments; for central staff, those submitted and waiting for review."""
    from reports.models import QuarterlySubmission

    status = QuarterlySubmission.Status
    reviews = may(user, "review_quarterly_report")
    wanted = [status.SUBMITTED] if reviews else [status.DUE, status.RETURNED]
    pending = QuarterlySubmission.objects.visible_to(user).filter(status__in=wanted)
    rows = list(pending.select_related("network").order_by("due_on", "pk")[:SHOWN])
    today = timezone.localdate()
    return Section(
        key="quarterly",
        title=_("Quarterly reports to review") if reviews else _("Quarterly reports due or returned"),
        count=pending.count(),
        items=[
            Item(
                f"{q.network.name} — Q{q.quarter}/{q.year}",
                reverse("reports:quarterly_detail", args=[q.pk]),
                f"{q.get_status_display()} · {_date(q.due_on)}"
                + (f" · {_('overdue')}" if q.due_on < today and q.status != status.SUBMITTED else ""),
            )
            for q in rows
        ],
        more_url=reverse("reports:quarterly"),
    )


def staff_home(user: Any) -> list[Section]:
    """Provincial (or central) staff: pending applications and decisions, removal
    requests, open surveys with response rates, events this week with their
    invitations, events waiting for approval, quarterly reports due or returned (to
    review, for central staff), tasks due within a week."""
    events = Event.objects.visible_to(user)
    return [
        *_pipeline_sections(user, Membership.objects.visible_to(user), link_staff=True),
        _removal_section(user),
        _approval_section(events),
        _survey_section(user, Deployment.objects.visible_to(user), staff=True),
        _events_week_section(events),
        _quarterly_section(user),
        _tasks_section(Task.objects.visible_to(user), "tasks", _("Network tasks due within a week")),
    ]


def board_home(user: Any) -> list[Section]:
    """A board member: the same for her network, and her own tasks."""
    events = Event.objects.visible_to(user)
    return [
        *_pipeline_sections(user, Membership.objects.visible_to(user), link_staff=False),
        _approval_section(events),
        _survey_section(user, Deployment.objects.visible_to(user), staff=False),
        _events_week_section(events),
        _tasks_section(Task.objects.visible_to(user), "tasks", _("Network tasks due within a week")),
        _tasks_section(Task.objects.filter(assignee__user=user), "my_tasks", _("My tasks"), within_days=None),
    ]


def member_home(user: Any) -> list[Section]:
    """A member: open surveys she has not answered, upcoming events, her tasks."""
    from surveys.selectors import open_deployments_for_member

    pending = [
        (d, r) for d, r in open_deployments_for_member(user) if r is None or r.status != Response.Status.SUBMITTED
    ]
    surveys = Section(
        key="surveys",
        title=_("Surveys waiting for your answers"),
        count=len(pending),
        items=[
            Item(
                str(d.template),
                reverse("surveys:fill", args=[d.token]),
                _("closes %(date)s") % {"date": _date(d.closes_at)},
            )
            for d, _r in pending[:SHOWN]
        ],
    )
    invitations = Invitation.objects.filter(person__user=user, event__ends_at__gte=timezone.now()).exclude(
        event__status=Event.Status.CANCELLED
    )
    rows = list(invitations.select_related("event").order_by("event__starts_at", "pk")[:SHOWN])
    events = Section(
        key="events",
        title=_("Your upcoming events"),
        count=invitations.count(),
        items=[
            Item(
                i.event.title,
                reverse("events:detail", args=[i.event_id]),
                f"{_date(i.event.starts_at)} · {i.get_status_display()}",
            )
            for i in rows
        ],
        more_url=reverse("events:mine"),
    )
    tasks = _tasks_section(Task.objects.filter(assignee__user=user), "my_tasks", _("My tasks"), within_days=None)
    return [surveys, events, tasks]


@dataclass
class DonorRow:
    province: str
    networks: int
    members: int | str  # "<5" for a small group (portal.privacy)
    events_held: int
    participants: int | str


def donor_dashboard() -> list[DonorRow]:
    """Counts per province, no personal data; people counts of a small group show as
    "<5" (the one small-group rule, ``portal.privacy``)."""
    from networks.models import Province

    now = timezone.now()
    provinces = (
        Province.objects.filter(networks__isnull=False)
        .annotate(
            n_networks=Count("networks", distinct=True),
            n_members=Count(
                "networks__memberships__person",
                filter=Q(networks__memberships__status=Membership.Status.MEMBER),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    events = dict(
        Province.objects.filter(networks__events__ends_at__lt=now)
        .exclude(networks__events__status=Event.Status.CANCELLED)
        .annotate(n=Count("networks__events", distinct=True))
        .values_list("pk", "n")
    )
    participants = dict(
        Province.objects.filter(networks__events__ends_at__lt=now)
        .annotate(n=Count("networks__events__attendances__person", distinct=True))
        .values_list("pk", "n")
    )

    return [
        DonorRow(
            p.name,
            p.n_networks,
            shown_count(p.n_members),
            events.get(p.pk, 0),
            shown_count(participants.get(p.pk, 0)),
        )
        for p in provinces
    ]


def donor_home(user: Any) -> dict[str, Any]:
    from reports.models import ReportRequest

    reports = list(
        ReportRequest.objects.visible_to(user)
        .filter(status=ReportRequest.Status.DONE)
        .order_by("-requested_at")[:SHOWN]
    )
    section = Section(
        key="reports",
        title=_("Latest reports"),
        count=len(reports),
        items=[Item(str(r), reverse("reports:detail", args=[r.pk]), _date(r.requested_at)) for r in reports],
        more_url=reverse("reports:list"),
    )
    return {"sections": [section], "dashboard": donor_dashboard(), "min_group_size": MIN_GROUP_SIZE}


def home_for(user: Any) -> dict[str, Any]:
    """The context of the home page for ``user``'s role."""
    if not user.is_authenticated:
        return {}
    if user.is_portal_staff:
        return {"sections": staff_home(user)}
    if user.role == Role.BOARD_MEMBER and user.network_id:
        return {"sections": board_home(user), "network": Network.objects.filter(pk=user.network_id).first()}
    if user.role == Role.DONOR_VIEWER:
        return donor_home(user)
    return {"sections": member_home(user)}
