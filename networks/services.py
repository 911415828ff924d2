"""Changes to networks: board terms and their seats, founding documents, annual plans, tasks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.indicators import IndicatorSource
from networks.models import (
    ActivityPlan,
    Announcement,
    BoardSeat,
    BoardTerm,
    DocumentState,
    Indicator,
    IndicatorActual,
    Network,
    PlannedActivity,
    Task,
)
from portal.rules import may


@dataclass(frozen=True)
class SeatSpec:
    person_id: int
    role: str
    tasks: str = ""
    tasks_en: str = ""


@transaction.atomic
def board_term_create(
    *,
    network: Network,
    starts_on: date,
    seats: Sequence[SeatSpec],
    ends_on: date | None = None,
    how_elected: str = "",
    how_elected_en: str = "",
) -> BoardTerm:
    """Record an elected board: exactly one chair, every seat held by a member of the
    network (validated by ``BoardSeat.clean``). Earlier terms are kept; the previous open
    term ends the day before this one starts."""
    chairs = sum(1 for seat in seats if seat.role == BoardSeat.Role.CHAIR)
    if chairs != 1:
        raise ValidationError(_("A board term has exactly one chair."))
    term = BoardTerm(
        network=network, starts_on=starts_on, ends_on=ends_on, how_elected=how_elected, how_elected_en=how_elected_en
    )
    term.full_clean()
    previous = network.board_terms.filter(ends_on__isnull=True, starts_on__lt=starts_on)
    for old in previous:
        old.ends_on = starts_on.fromordinal(starts_on.toordinal() - 1)
        old.save(update_fields=["ends_on"])
    term.save()
    for spec in seats:
        seat = BoardSeat(term=term, person_id=spec.person_id, role=spec.role, tasks=spec.tasks, tasks_en=spec.tasks_en)
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
    if not may(user, "record_indicator_actual", province):
        raise PermissionDenied
    if not Indicator.objects.visible_to(user).filter(pk=indicator.pk).exists():
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


def board_union_chair_warning(network: Network, term: BoardTerm | None) -> str:
    """The handbook asks that the provincial Union's chair be the network's chair or
    vice-chair: a warning (empty when all is well or when her name is not recorded)."""
    if network.union_chair_id is None or term is None:
        return ""
    holds = any(
        seat.person_id == network.union_chair_id and seat.role in (BoardSeat.Role.CHAIR, BoardSeat.Role.VICE_CHAIR)
        for seat in term.seats.all()
    )
    if holds:
        return ""
    return _(
        "The chair of the provincial Women's Union (%(name)s) is neither the chair nor a vice-chair of this board, "
        "as the handbook asks."
    ) % {"name": network.union_chair.full_name}


FOUNDING_FIELDS = (
    "status",
    "launch_date",
    "decision_number",
    "decision_date",
    "decision_signer",
    "decision_file",
    "decision_state",
    "charter_file",
    "charter_state",
    "charter_adopted_on",
    "union_chair",
    "requires_event_approval",
)


@transaction.atomic
def network_update_founding(*, network: Network, **fields: Any) -> Network:
    """Record the founding decision and the charter (draft or adopted), the Union's chair
    and the event-approval rule. An adopted decision needs its number and date; an
    adopted charter its adoption date. Nothing is saved on error."""
    unknown = set(fields) - set(FOUNDING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown founding fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name.endswith("_file") and value is None:
            continue  # no new upload: keep the stored file
        if name.endswith("_file") and value is False:
            value = ""  # the "clear" box was ticked
        setattr(network, name, value)
    errors: dict[str, str] = {}
    if network.decision_state == DocumentState.ADOPTED and not (network.decision_number and network.decision_date):
        errors["decision_state"] = _("An adopted founding decision needs its number and date.")
    if network.charter_state == DocumentState.ADOPTED and not network.charter_adopted_on:
        errors["charter_adopted_on"] = _("Give the date the charter was adopted.")
    if network.union_chair_id and network.union_chair.province_id != network.province_id:
        errors["union_chair"] = _("Choose a person of the network's province.")
    if errors:
        raise ValidationError(errors)
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def activity_plan_create(*, network: Network, year: int, file: Any = None) -> ActivityPlan:
    """Start the annual activity plan of ``year`` (one per network and year)."""
    if ActivityPlan.objects.filter(network=network, year=year).exists():
        raise ValidationError({"year": _("This network already has a plan for %(year)s.") % {"year": year}})
    plan = ActivityPlan(network=network, year=year)
    if file:
        plan.file = file
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def planned_activity_add(
    *, plan: ActivityPlan, title: str, target: str = "", planned_for: str = "", need: str = "", title_en: str = ""
) -> PlannedActivity:
    """Add a planned activity, with the member need it answers (its title in Vietnamese
    and, for the English donor report, in English)."""
    activity = PlannedActivity(
        plan=plan, title=title, title_en=title_en, target=target, planned_for=planned_for, need=need
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def planned_activity_update(*, activity: PlannedActivity, **fields: Any) -> PlannedActivity:
    for name in ("title", "title_en", "target", "planned_for", "need"):
        if name in fields:
            setattr(activity, name, fields[name])
    activity.full_clean()
    activity.save()
    return activity


# --- tasks ---------------------------------------------------------------------------


def _check_assignee(network: Network, assignee: Any) -> None:
    from members.models import Membership

    is_member = Membership.objects.filter(network=network, person=assignee, status=Membership.Status.MEMBER).exists()
    if not is_member:
        raise ValidationError({"assignee": _("Tasks go to members of the network.")})


@transaction.atomic
def task_create(*, network: Network, by: Any, title: str, assignee: Any, deadline: date, notes: str = "") -> Task:
    """Assign a task to a member of the network, with a deadline."""
    _check_assignee(network, assignee)
    task = Task(network=network, title=title, assignee=assignee, deadline=deadline, notes=notes, created_by=by)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def task_update(*, task: Task, **fields: Any) -> Task:
    """Change a task's title, assignee, deadline, status or notes."""
    if "assignee" in fields:
        _check_assignee(task.network, fields["assignee"])
    for name in ("title", "assignee", "deadline", "status", "notes"):
        if name in fields:
            setattr(task, name, fields[name])
    task.full_clean()
    task.save()
    return task


def task_remind(*, task: Task, link: str = "") -> bool:
    """E-mail the assignee a reminder of an open task. Returns False when she has no
    e-mail address, withdrew her consent, or the task is closed."""
    if not task.is_open or not task.assignee.email or task.assignee.consent_withdrawn_at:
        return False  # no address, a closed task, or she withdrew her consent (no messages)
    body = render_to_string("networks/email/task_reminder.txt", {"task": task, "link": link})
    send_mail(_("Reminder: %(title)s") % {"title": task.title}, body, None, [task.assignee.email])
    Task.objects.filter(pk=task.pk).update(reminded_at=timezone.now())
    return True


def tasks_send_due_reminders(*, within_days: int = 3, link: str = "") -> int:
    """Remind assignees of open tasks due within ``within_days`` (or overdue), at most
    once a day per task. Idempotent within the day. Returns how many were sent."""
    now = timezone.now()
    today = timezone.localdate()
    due = (
        Task.objects.filter(status__in=Task.OPEN_STATUSES, deadline__lte=today + timedelta(days=within_days))
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - timedelta(hours=20)))
        .select_related("assignee", "network")
    )
    return sum(1 for task in due if task_remind(task=task, link=link))


# --- announcements -------------------------------------------------------------------


@transaction.atomic
def announcement_send(
    *, network: Network, by: Any, subject: str, message: str, channels: Sequence[str], link: str = ""
) -> Announcement:
    """Send an announcement to the network's current members by e-mail and/or SMS, and
    keep it (its ``zalo_text`` is ready to paste into the Zalo group)."""
    from members.models import Membership, Person
    from portal.sms import send_sms

    channels = [c for c in channels if c in ("email", "sms", "zalo")]
    if not channels:
        raise ValidationError({"channels": _("Choose at least one way to send it.")})
    announcement = Announcement(
        network=network, subject=subject, message=message, link=link, channels=",".join(channels), sent_by=by
    )
    announcement.full_clean()
    # Nobody who withdrew her consent is messaged.
    people = Person.objects.filter(
        memberships__network=network, memberships__status=Membership.Status.MEMBER, consent_withdrawn_at__isnull=True
    ).distinct()
    body = message.strip() + (f"\n\n{link}" if link else "")
    if "email" in channels:
        mails = [
            (f"[{network.name}] {subject}", body, None, [email])
            for email in people.exclude(email="").values_list("email", flat=True)
        ]
        announcement.emails_sent = send_mass_mail(mails, fail_silently=False) if mails else 0
    if "sms" in channels:
        phones = [str(p) for p in people.exclude(phone="").exclude(phone__isnull=True).values_list("phone", flat=True)]
        announcement.sms_sent = send_sms(phones, f"{network.name}: {subject}. {link}".strip())
    announcement.save()
    return announcement
