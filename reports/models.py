"""Lessons learned per network and period, and report requests with their state machine."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet
from portal.roles import Role


class LessonsLearned(models.Model):
    """The handbook's four headings for one network and period. Without a network it is
    the overall section, written by central staff."""

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lessons_learned",
        verbose_name=_("network"),
        help_text=_("Leave empty for the overall section (central staff only)."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    achievements = models.TextField(_("achievements"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    achievements_en = models.TextField(_("achievements (English)"), blank=True)
    difficulties_en = models.TextField(_("difficulties (English)"), blank=True)
    lessons_en = models.TextField(_("lessons learned (English)"), blank=True)
    next_steps_en = models.TextField(_("next steps (English)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    # Rows without a network (the overall section) match no province, so only central
    # staff see them.
    scope = Scope(province="network__province", network="network")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "network__name"]
        verbose_name = _("lessons learned")
        verbose_name_plural = _("lessons learned")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "period_start", "period_end"], name="unique_lessons_per_network_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="lessons_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        where = self.network.name if self.network_id else _("Overall")
        return f"{where}: {self.period_start} – {self.period_end}"


class ReportRequestQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> ScopedQuerySet:
        """Central staff see all; provincial staff their province's provincial reports;
        donor viewers only donor reports (which hold no personal data); nobody else any."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.DONOR_VIEWER:
            return self.filter(kind=ReportRequest.Kind.DONOR)
        if not user.is_portal_staff:
            return self.none()
        return super().visible_to(user)


class ReportRequest(models.Model):
    """One report someone asked for, with everything needed to reproduce it."""

    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial activity report")
        DONOR = "donor", _("Donor report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Language(models.TextChoices):
        VIETNAMESE = "vi", _("Vietnamese")
        ENGLISH = "en", _("English")

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    networks = models.ManyToManyField("networks.Network", related_name="report_requests", verbose_name=_("networks"))
    province = models.ForeignKey(
        "networks.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("province"),
        help_text=_("The province of a provincial report; empty for donor reports."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    donor_agreement = models.CharField(_("donor agreement"), max_length=255, blank=True)
    agreement = models.ForeignKey(
        "networks.DonorAgreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("agreement"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.VIETNAMESE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="report_requests",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    data_cutoff = models.DateTimeField(_("data cut-off"), null=True, blank=True)
    portal_version = models.CharField(_("portal version"), max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    completions = models.PositiveSmallIntegerField(_("completions"), default=0)
    error = models.TextField(_("reason for failure"), blank=True)
    figures = models.JSONField(_("summary figures"), default=dict, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    xlsx = models.BinaryField(_("Excel workbook"), null=True, blank=True)
    # The audit trail records who asked for what; the generated files stay out of it.
    history = HistoricalRecords(excluded_fields=["pdf", "xlsx", "figures"])

    scope = Scope(province="province")
    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def lists_people(self) -> bool:
        """Provincial reports may list members; donor reports never hold personal data."""
        return self.kind == self.Kind.PROVINCIAL

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class QuarterlySubmission(models.Model):
    """One network's report to the centre for one quarter: the generated provincial PDF
    and the staff's narrative, submitted by a due date and reviewed by central staff.

    Status moves DUE -> SUBMITTED -> ACCEPTED, or SUBMITTED -> RETURNED -> SUBMITTED
    (see ``reports.services.CYCLE_TRANSITIONS``). "Late" is not a state: it is a
    submission still due (or returned) after its due date, or submitted after it."""

    class Status(models.TextChoices):
        # A context: "Submitted" and "Accepted" also name a survey response's and an
        # invitation's state, which Vietnamese words differently (gửi, nhận lời).
        DUE = "due", pgettext_lazy("quarterly report status", "Due")
        SUBMITTED = "submitted", pgettext_lazy("quarterly report status", "Submitted")
        RETURNED = "returned", pgettext_lazy("quarterly report status", "Returned")
        ACCEPTED = "accepted", pgettext_lazy("quarterly report status", "Accepted")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="quarterly_submissions", verbose_name=_("network")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    report = models.ForeignKey(
        ReportRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provincial report"),
    )
    narrative = models.TextField(_("narrative"), blank=True)
    submitted_at = models.DateTimeField(pgettext_lazy("quarterly report", "submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("central staff's comments"), blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    history = HistoricalRecords()

    scope = Scope(province="network__province", network="network")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "network__province__name", "network__name"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            models.UniqueConstraint(fields=["network", "year", "quarter"], name="one_submission_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.network} — Q{self.quarter}/{self.year}"

    @property
    def period(self) -> tuple[Any, Any]:
        from reports.cycle import quarter_period

        return quarter_period(self.year, self.quarter)

    def is_late(self, today: Any) -> bool:
        """Still owed (due or returned) after the due date, or submitted after it."""
        if self.status in (self.Status.DUE, self.Status.RETURNED):
            return today > self.due_on
        return bool(self.submitted_at) and timezone.localdate(self.submitted_at) > self.due_on


class ReportPart(models.Model):
    """One part of a report being generated: the cover, the front matter, one network's
    section or the closing part, rendered to PDF by its own worker task and merged in
    order (``reports.pipeline``). Parts belong to one attempt; a new attempt replaces
    them, and re-rendering a part overwrites it, so a retried part never duplicates pages."""

    class Kind(models.TextChoices):
        COVER = "cover", _("Cover")
        CONTENTS = "contents", _("Contents")
        FRONT = "front", _("Front matter")
        NETWORK = "network", _("Network section")
        CLOSING = "closing", _("Closing part")

    report = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="parts")
    attempt = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    html = models.TextField()
    pdf = models.BinaryField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    anchors = models.JSONField(default=dict, blank=True)
    renders = models.PositiveSmallIntegerField(default=0)

    scope = Scope(province="report__province")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "attempt", "order"]
        verbose_name = _("report part")
        verbose_name_plural = _("report parts")
        constraints = [
            models.UniqueConstraint(fields=["report", "attempt", "order"], name="one_report_part_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.attempt}/{self.order} {self.kind}"


class LetterBatch(models.Model):
    """Invitation letters printed in bulk (``members.views.invitation_letters``): more
    than fit in a web request are rendered by a worker task, and the requester downloads
    the PDF from the batch's page. The memberships are those she saw when she asked."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("networks.Province", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    memberships = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    letters = models.PositiveIntegerField(default=0)
    pdf = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(province="province")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("batch of invitation letters")
        verbose_name_plural = _("batches of invitation letters")

    def __str__(self) -> str:
        return f"{self.pk}: {self.letters} ({self.status})"
