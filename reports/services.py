"""Changes in the reports app: lessons learned, report requests and their state machine."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from networks.models import DonorAgreement, Network
from portal.access import may
from reports.models import LessonsLearned, QuarterlySubmission, ReportRequest

Status = ReportRequest.Status

# The one place that says which state may follow which. RUNNING -> RUNNING is a new
# attempt taking over after a worker died mid-task.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.QUEUED: frozenset({Status.RUNNING, Status.FAILED}),
    Status.RUNNING: frozenset({Status.RUNNING, Status.DONE, Status.FAILED}),
    Status.DONE: frozenset(),
    Status.FAILED: frozenset(),
}


class ReportStateError(Exception):
    """An illegal state change, e.g. re-running a finished report."""


def report_check_transition(*, old: str, new: str) -> None:
    """Raise :class:`ReportStateError` unless ``old -> new`` is allowed."""
    if new not in TRANSITIONS[old]:
        raise ReportStateError(f"{old} -> {new}")


def lessons_save(
    *,
    user: Any,
    network: Network | None,
    period_start: date,
    period_end: date,
    achievements: str = "",
    difficulties: str = "",
    lessons: str = "",
    next_steps: str = "",
    achievements_en: str = "",
    difficulties_en: str = "",
    lessons_en: str = "",
    next_steps_en: str = "",
    instance: LessonsLearned | None = None,
) -> LessonsLearned:
    """Create or update the lessons learned of ``network`` (or, without a network, the
    overall section, central staff only) for a period."""
    if network is None and not may(user, "write_overall_lessons"):
        raise PermissionDenied(_("Only central staff may write the overall section."))
    if network is not None and not may(user, "write_lessons", network):
        raise PermissionDenied
    entry = instance or LessonsLearned()
    entry.network = network
    entry.period_start = period_start
    entry.period_end = period_end
    entry.achievements = achievements
    entry.difficulties = difficulties
    entry.lessons = lessons
    entry.next_steps = next_steps
    entry.achievements_en = achievements_en
    entry.difficulties_en = difficulties_en
    entry.lessons_en = lessons_en
    entry.next_steps_en = next_steps_en
    entry.author = user
    with transaction.atomic():
        entry.full_clean()
        if network is None:
            # NULL never equals NULL in a unique constraint: check the overall section by hand.
            clash = LessonsLearned.objects.filter(
                network__isnull=True, period_start=period_start, period_end=period_end
            ).exclude(pk=entry.pk)
            if clash.exists():
                raise ValidationError(_("The overall section for this period already exists."))
        entry.save()
    return entry


def report_request(
    *,
    user: Any,
    kind: str,
    networks: Sequence[Network],
    period_start: date,
    period_end: date,
    language: str,
    donor_agreement: str = "",
    agreement: DonorAgreement | None = None,
    data_cutoff: datetime | None = None,
) -> ReportRequest:
    """Record a report request and queue its generation once the transaction commits.

    Provincial staff may request the provincial report of one of their networks; only
    central staff may request donor reports. With ``data_cutoff`` (regenerating an old
    report) nothing entered after it is read. Raises ValidationError on bad input and
    PermissionDenied for networks outside the user's scope."""
    if not may(user, "request_report"):
        raise PermissionDenied
    networks = list(networks)
    if not networks:
        raise ValidationError(_("Choose at least one network."))
    visible = set(Network.objects.visible_to(user).filter(pk__in=[n.pk for n in networks]).values_list("pk", flat=True))
    if len(visible) != len({n.pk for n in networks}):
        raise PermissionDenied
    if kind == ReportRequest.Kind.DONOR and not may(user, "request_donor_report"):
        raise PermissionDenied(_("Only central staff may request donor reports."))
    if kind == ReportRequest.Kind.PROVINCIAL and len(networks) != 1:
        raise ValidationError(_("A provincial activity report covers exactly one network."))
    if agreement is not None:
        if not DonorAgreement.objects.visible_to(user).filter(pk=agreement.pk).exists():
            raise PermissionDenied
        covered = set(agreement.networks.values_list("pk", flat=True))
        outside = [n.name for n in networks if n.pk not in covered]
        if outside:
            raise ValidationError(
                _("The agreement %(number)s does not cover: %(networks)s.")
                % {"number": agreement.number, "networks": ", ".join(outside)}
            )
    report = ReportRequest(
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        language=language,
        donor_agreement=donor_agreement,
        agreement=agreement,
        data_cutoff=data_cutoff,
        requested_by=user,
        province=networks[0].province if kind == ReportRequest.Kind.PROVINCIAL else None,
        portal_version=settings.PORTAL_VERSION,
    )
    with transaction.atomic():
        report.full_clean()
        report.save()
        report.networks.set(networks)
        transaction.on_commit(lambda: _queue(report.pk))
    return report


def report_regenerate(*, user: Any, report: ReportRequest) -> ReportRequest:
    """Queue a new copy of ``report`` with its data cut-off, so it shows the same figures
    as the original whatever was entered since (e.g. after a fix to the layout)."""
    return report_request(
        user=user,
        kind=report.kind,
        networks=list(report.networks.all()),
        period_start=report.period_start,
        period_end=report.period_end,
        language=report.language,
        donor_agreement=report.donor_agreement,
        agreement=report.agreement,
        data_cutoff=report.data_cutoff,
    )


def _queue(report_id: int) -> None:
    from reports.tasks import generate_report

    generate_report.delay(report_id)


def _pause_for_tests() -> None:
    # Lets the worker tests kill a worker while a report is running; unset in production.
    _pause("REPORTS_TEST_DELAY_SECONDS")


def _pause_part_for_tests() -> None:
    # Lets the worker tests kill a worker while it renders a network's part.
    _pause("REPORTS_TEST_PART_DELAY_SECONDS")


def _pause(variable: str) -> None:
    delay = float(os.environ.get(variable, "0") or 0)
    if delay:
        time.sleep(delay)


def report_generate(*, report_id: int) -> ReportRequest:
    """Generate the report's PDF and workbook in this process (the worker tasks run the
    same steps in parallel: ``reports.pipeline``). Idempotent: a finished report is left
    as it is, and only the latest attempt may mark it done, so a report completes once
    whatever the number of deliveries."""
    from reports.pipeline import report_generate_in_process

    return report_generate_in_process(report_id=report_id)


def report_fail(*, report_id: int, reason: str) -> ReportRequest:
    """Mark an unfinished report failed with a reason the requester can read."""
    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report_id)
        if report.is_finished:
            return report
        report_check_transition(old=report.status, new=Status.FAILED)
        report.status = Status.FAILED
        report.finished_at = timezone.now()
        report.error = reason
        report.save(update_fields=["status", "finished_at", "error"])
    return report


def report_failure_reason(*, report_id: int, exc: BaseException) -> str:
    """A readable reason, in the report's language."""
    from celery.exceptions import SoftTimeLimitExceeded

    language = ReportRequest.objects.filter(pk=report_id).values_list("language", flat=True).first() or "vi"
    with translation.override(language):
        if isinstance(exc, SoftTimeLimitExceeded):
            return _("The report took longer than the time limit. Try a shorter period or fewer networks.")
        return _("The report could not be generated (%(error)s). Please try again or contact central staff.") % {
            "error": f"{type(exc).__name__}: {exc}"[:300]
        }


# --- the quarterly reporting cycle ------------------------------------------------------

Cycle = QuarterlySubmission.Status

# Who may move a quarterly report from which state to which.
CYCLE_TRANSITIONS: dict[str, frozenset[str]] = {
    Cycle.DUE: frozenset({Cycle.SUBMITTED}),
    Cycle.SUBMITTED: frozenset({Cycle.ACCEPTED, Cycle.RETURNED}),
    Cycle.RETURNED: frozenset({Cycle.SUBMITTED}),
    Cycle.ACCEPTED: frozenset(),
}


class CycleStateError(ValidationError):
    """An illegal step in the reporting cycle (e.g. accepting a report not submitted)."""


def _cycle_step(submission: QuarterlySubmission, new: str) -> None:
    if new not in CYCLE_TRANSITIONS[submission.status]:
        raise CycleStateError(
            _("This report is “%(status)s”: that step is not possible now.")
            % {"status": submission.get_status_display()}
        )


def quarter_open(
    *, user: Any, year: int, quarter: int, due_on: date | None = None, networks: Sequence[Network] | None = None
) -> list[QuarterlySubmission]:
    """Central staff open a quarter: every launched or active network (or ``networks``)
    owes its report by ``due_on`` (default: 15 days after the quarter). Idempotent: a
    network that already has the quarter keeps it."""
    from reports.cycle import default_due_on

    if not may(user, "open_quarter"):
        raise PermissionDenied
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("The quarter must be 1, 2, 3 or 4."))
    due_on = due_on or default_due_on(year, quarter)
    if networks is None:
        networks = list(Network.objects.filter(status__in=[Network.Status.LAUNCHED, Network.Status.ACTIVE]))
    opened = []
    with transaction.atomic():
        for network in networks:
            submission, _created = QuarterlySubmission.objects.get_or_create(
                network=network, year=year, quarter=quarter, defaults={"due_on": due_on}
            )
            opened.append(submission)
    return opened


def quarter_submit(*, user: Any, submission: QuarterlySubmission, narrative: str) -> QuarterlySubmission:
    """Provincial staff submit the quarter's report: their narrative plus the provincial
    PDF of the quarter, generated now (queued). Allowed while due or returned."""
    if not may(user, "submit_quarterly_report", submission):
        raise PermissionDenied
    if not narrative.strip():
        raise ValidationError(_("Write the narrative of the quarter before submitting."))
    with transaction.atomic():
        locked = QuarterlySubmission.objects.select_for_update().get(pk=submission.pk)
        _cycle_step(locked, Cycle.SUBMITTED)
        start, end = locked.period
        locked.report = report_request(
            user=user,
            kind=ReportRequest.Kind.PROVINCIAL,
            networks=[locked.network],
            period_start=start,
            period_end=end,
            language=ReportRequest.Language.VIETNAMESE,
        )
        locked.narrative = narrative.strip()
        locked.status = Cycle.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.full_clean()
        locked.save()
    return locked


def quarter_review(
    *, user: Any, submission: QuarterlySubmission, accept: bool, comment: str = ""
) -> QuarterlySubmission:
    """Central staff accept a submitted report, or return it with comments (required)."""
    if not may(user, "review_quarterly_report", submission):
        raise PermissionDenied
    if not accept and not comment.strip():
        raise ValidationError(_("Say what must change when returning a report."))
    with transaction.atomic():
        locked = QuarterlySubmission.objects.select_for_update().get(pk=submission.pk)
        new = Cycle.ACCEPTED if accept else Cycle.RETURNED
        _cycle_step(locked, new)
        locked.status = new
        locked.review_comment = comment.strip()
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = user
        locked.save()
    return locked


def quarter_send_reminders(*, today: date | None = None) -> int:
    """E-mail the provincial staff of every network whose quarterly report is still owed
    and due within ``REMIND_DAYS_BEFORE`` days (once per submission). Returns how many
    submissions were reminded."""
    from django.core.mail import send_mail

    from portal.models import User
    from portal.roles import Role
    from reports.cycle import REMIND_DAYS_BEFORE

    today = today or timezone.localdate()
    owed = QuarterlySubmission.objects.filter(
        status__in=[Cycle.DUE, Cycle.RETURNED],
        reminded_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("network__province")
    reminded = 0
    for submission in owed:
        emails = list(
            User.objects.filter(
                role=Role.PROVINCIAL_STAFF, province_id=submission.network.province_id, is_active=True
            ).values_list("email", flat=True)
        )
        if emails:
            with translation.override("vi"):
                send_mail(
                    _("Reminder: quarterly report Q%(quarter)s/%(year)s due on %(due)s")
                    % {
                        "quarter": submission.quarter,
                        "year": submission.year,
                        "due": submission.due_on.strftime("%d/%m/%Y"),
                    },
                    _("The quarterly report of %(network)s is due on %(due)s. Submit it on the portal.")
                    % {"network": submission.network.name, "due": submission.due_on.strftime("%d/%m/%Y")},
                    None,
                    emails,
                )
        QuarterlySubmission.objects.filter(pk=submission.pk).update(reminded_at=timezone.now())
        reminded += 1
    return reminded


MAX_ATTEMPTS = 3


def reports_requeue_stuck(*, now: Any = None) -> dict[str, int]:
    """Reports queued or running for longer than the hard time limit (plus a minute) have
    lost their worker or their message: queue them again while they have attempts left,
    otherwise fail them with a reason. ``started_at`` is reset on re-queueing so the next
    check waits a full limit again. Returns ``{"requeued": n, "failed": n}``."""
    from django.db.models.functions import Coalesce

    now = now or timezone.now()
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    stuck = (
        ReportRequest.objects.filter(status__in=[Status.QUEUED, Status.RUNNING])
        .annotate(since=Coalesce("started_at", "requested_at"))
        .filter(since__lt=now - limit)
        .values_list("pk", "attempts", "language")
    )
    counts = {"requeued": 0, "failed": 0}
    for report_id, attempts, language in list(stuck):
        if attempts >= MAX_ATTEMPTS:
            with translation.override(language):
                reason = ngettext(
                    "The report stopped responding (its worker was lost) after %(n)s attempt. Please request it again.",
                    "The report stopped responding (its worker was lost) after %(n)s attempts. "
                    "Please request it again.",
                    attempts,
                ) % {"n": attempts}
            report_fail(report_id=report_id, reason=reason)
            counts["failed"] += 1
        else:
            ReportRequest.objects.filter(pk=report_id).update(started_at=now)
            transaction.on_commit(lambda pk=report_id: _queue(pk))
            counts["requeued"] += 1
    return counts


# --- invitation letters printed in bulk -----------------------------------------------------

# A page-full of the pipeline list is printed in the request (a second or two); more go to
# a worker, so that printing a whole province never holds a web request for minutes.
LETTERS_IN_REQUEST = 20


def letters_queue(*, user: Any, membership_ids: Sequence[int]) -> Any:
    """Record a batch of invitation letters for ``user`` and queue its rendering once the
    transaction commits."""
    from reports.models import LetterBatch

    if not may(user, "use_staff_pages"):
        raise PermissionDenied
    batch = LetterBatch.objects.create(
        requested_by=user, province_id=user.province_id, memberships=list(membership_ids)
    )
    transaction.on_commit(lambda: _queue_letters(batch.pk))
    return batch


def _queue_letters(batch_id: int) -> None:
    from reports.tasks import render_invitation_letters

    render_invitation_letters.delay(batch_id)


def letters_render(*, batch_id: int) -> Any:
    """Render a batch's letters (those of its memberships still invited with an open
    invitation, as the requester may see them) into one PDF. Idempotent."""
    from members.letters import letter_context, open_invitations
    from portal.pdf import render_pdf
    from reports.models import LetterBatch

    batch = LetterBatch.objects.select_related("requested_by").get(pk=batch_id)
    if batch.status == LetterBatch.Status.DONE:
        return batch
    found = open_invitations(batch.requested_by, membership_ids=batch.memberships)
    letters = [letter_context(membership, invitation) for membership, invitation in found]
    batch.pdf = render_pdf("members/invitation_letters.html", {"letters": letters}) if letters else None
    batch.letters = len(letters)
    batch.status = LetterBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["pdf", "letters", "status", "finished_at"])
    return batch


def letters_fail(*, batch_id: int, reason: str) -> None:
    from reports.models import LetterBatch

    LetterBatch.objects.filter(pk=batch_id).exclude(status=LetterBatch.Status.DONE).update(
        status=LetterBatch.Status.FAILED, error=reason[:500], finished_at=timezone.now()
    )
