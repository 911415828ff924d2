"""Fictitious additions for issue 14: the Union chair on each board, tasks, a pending
application and a removal request, and a board meeting this week — so every role's home
page has something to do after ``make demo``. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Membership, Person
from networks.models import BoardSeat, BoardTerm, DocumentState, Network, Task
from networks.services import SeatSpec, board_term_create
from portal.models import User

DEMO_TASKS = [
    "Chuẩn bị hội trường cho buổi họp Ban Chủ nhiệm",
    "Gửi danh sách học viên lớp tập huấn tới Hội LHPN tỉnh",
]


@transaction.atomic
def load_networks_demo() -> int:
    """Returns how many networks got their demo tasks (0 when run again)."""
    from events import services as event_services
    from events.models import Event

    today = timezone.localdate()
    done = 0
    for network in Network.objects.filter(memberships__isnull=False).distinct().order_by("pk"):
        members = list(
            Person.objects.filter(memberships__network=network, memberships__status=Membership.Status.MEMBER)
            .distinct()
            .order_by("pk")
        )
        if len(members) < 2 or Task.objects.filter(network=network).exists():
            continue
        if not BoardTerm.objects.filter(network=network).exists() and len(members) >= 3:
            board_term_create(
                network=network,
                starts_on=network.launch_date or date(2022, 11, 20),
                how_elected="Bầu tại lễ ra mắt",
                seats=[
                    SeatSpec(members[0].pk, BoardSeat.Role.CHAIR),
                    SeatSpec(members[1].pk, BoardSeat.Role.VICE_CHAIR),
                ],
            )
        if network.decision_number:
            Network.objects.filter(pk=network.pk).update(decision_state=DocumentState.ADOPTED)
        chair = BoardSeat.objects.filter(term__network=network, term__ends_on__isnull=True, role="chair").first()
        if chair:
            Network.objects.filter(pk=network.pk).update(union_chair=chair.person)
        # The demo member (first member of her network) and a board colleague get tasks.
        for i, title in enumerate(DEMO_TASKS):
            Task.objects.create(
                network=network, title=title, assignee=members[i], deadline=today + timedelta(days=3 + 4 * i)
            )
        # One application waiting for a decision: the last candidate has applied.
        candidate = (
            Membership.objects.filter(network=network, status=Membership.Status.CANDIDATE).order_by("-pk").first()
        )
        if candidate:
            Membership.objects.filter(pk=candidate.pk).update(
                status=Membership.Status.APPLIED, status_changed_at=timezone.now()
            )
        # A board meeting this week, every member invited.
        staff = User.objects.filter(role="provincial", province=network.province).first()
        if staff:
            start = timezone.make_aware(datetime.combine(today + timedelta(days=2), time(14, 0)))
            event = event_services.event_create(
                by=staff,
                networks=[network],
                title="Họp Ban Chủ nhiệm và thành viên",
                kind=Event.Kind.OTHER,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                duration_days=Decimal("0.5"),
                venue="Trụ sở Hội LHPN tỉnh",
            )
            event_services.invitation_invite_members(event=event, by=staff)
        done += 1
    # A member asked for her data to be removed (Nghệ An).
    person = (
        Person.objects.filter(
            memberships__network__name__icontains="Nghệ An",
            memberships__status=Membership.Status.MEMBER,
            user__isnull=True,
            board_seats__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    if person and not Person.objects.filter(removal_requested_at__isnull=False).exists():
        Person.objects.filter(pk=person.pk).update(removal_requested_at=timezone.now())
    return done
