"""Provinces (current and legacy), communes, and the provincial networks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from networks.indicators import IndicatorSource
from portal.access import Scope, ScopedQuerySet
from portal.collation import VI_COLLATION
from portal.files import DocumentPath, private_storage, validate_document


class Province(models.Model):
    """One of the 34 provinces in force since 1 July 2025 (code from vietnam-provinces)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_collation=VI_COLLATION)
    codename = models.SlugField(_("code name"), max_length=100, unique=True)
    division_type = models.CharField(_("division type"), max_length=40)

    scope = Scope(
        province="pk", network="networks__pk", member="networks__memberships__person__user", donor=True, multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone (the level below the province since 2025)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_collation=VI_COLLATION)
    codename = models.CharField(_("code name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="communes", verbose_name=_("province")
    )

    scope = Scope(province="province", public=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("commune/ward")
        verbose_name_plural = _("communes/wards")

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    """One of the 63 provinces before the 2025 merger, mapped to the current province
    that absorbed it (National Assembly Resolution 202/2025/QH15)."""

    name = models.CharField(_("name"), max_length=100, unique=True, db_collation=VI_COLLATION)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="legacy_provinces", verbose_name=_("current province")
    )

    scope = Scope(province="province", public=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("former province (before 2025)")
        verbose_name_plural = _("former provinces (before 2025)")

    def __str__(self) -> str:
        return self.name


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class Network(models.Model):
    """A provincial women leaders' network (locally a network, club or group)."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        CLUB = "club", _("Club")
        GROUP = "group", _("Group")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        LAUNCHED = "launched", _("Launched")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="networks", verbose_name=_("province")
    )
    legacy_province = models.ForeignKey(
        LegacyProvince,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="networks",
        verbose_name=_("historical province"),
        help_text=_("The province name the network was founded under, before the 2025 merger."),
    )
    name = models.CharField(_("name"), max_length=255, db_collation=VI_COLLATION)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NETWORK)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.PLANNED)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    decision_number = models.CharField(_("founding decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("founding decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("founding decision signed by"), max_length=200, blank=True)
    # Uploaded documents: PDF or image by content, kept private, served by portal.views.
    decision_file = models.FileField(
        _("founding decision (scan)"),
        upload_to=DocumentPath("networks/decisions"),
        storage=private_storage,
        validators=[validate_document],
        blank=True,
        help_text=_("PDF or image (PNG, JPEG)."),
    )
    charter_file = models.FileField(
        _("charter"),
        upload_to=DocumentPath("networks/charters"),
        storage=private_storage,
        validators=[validate_document],
        blank=True,
        help_text=_("PDF or image (PNG, JPEG)."),
    )
    decision_state = models.CharField(
        _("founding decision state"), max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    charter_state = models.CharField(
        _("charter state"), max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    charter_adopted_on = models.DateField(_("charter adopted on"), null=True, blank=True)
    union_chair = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair of the provincial Women's Union"),
        help_text=_("The handbook asks that she be the network's chair or vice-chair."),
    )
    requires_event_approval = models.BooleanField(
        _("events created by the board need staff approval"),
        default=False,
        help_text=_("When ticked, an event the board creates waits for provincial staff to approve it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    scope = Scope(province="province", network="pk", member="memberships__person__user", donor=True, multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    @property
    def historical_province_name(self) -> str:
        """The province name as it was when the network was founded (or the current one)."""
        return self.legacy_province.name if self.legacy_province_id else self.province.name


class ActivityPlan(models.Model):
    """A network's annual activity plan (Kế hoạch hoạt động năm)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="activity_plans", verbose_name=_("network")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    file = models.FileField(
        _("file"),
        upload_to=DocumentPath("networks/plans"),
        storage=private_storage,
        validators=[validate_document],
        blank=True,
        help_text=_("PDF or image (PNG, JPEG)."),
    )
    history = HistoricalRecords()

    scope = Scope(
        province="network__province", network="network", member="network__memberships__person__user", multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual activity plan")
        verbose_name_plural = _("annual activity plans")
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="one_activity_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.network} — {self.year}"


class PlannedActivity(models.Model):
    """An activity planned for the year, with its target."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    title = models.CharField(_("activity"), max_length=255)
    target = models.CharField(_("target"), max_length=255, blank=True, help_text=_("e.g. 40 participants"))
    title_en = models.CharField(_("activity (English)"), max_length=255, blank=True)
    planned_for = models.CharField(_("when"), max_length=100, blank=True, help_text=_("e.g. quarter 2"))
    need = models.CharField(
        _("need it answers"),
        max_length=255,
        blank=True,
        help_text=_("The member need (from the needs survey) this activity answers."),
    )
    history = HistoricalRecords()

    scope = Scope(province="plan__network__province", network="plan__network")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")

    def __str__(self) -> str:
        return self.title


class BoardTerm(models.Model):
    """A term of a network's board (Ban Chủ nhiệm). Past terms are kept."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="board_terms", verbose_name=_("network")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    how_elected = models.CharField(
        _("how elected"), max_length=255, blank=True, help_text=_("e.g. elected at the launch ceremony")
    )
    how_elected_en = models.CharField(_("how elected (English)"), max_length=255, blank=True)
    history = HistoricalRecords()

    scope = Scope(
        province="network__province", network="network", member="network__memberships__person__user", multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("board term")
        verbose_name_plural = _("board terms")

    def __str__(self) -> str:
        end = self.ends_on or "…"
        return f"{self.network} ({self.starts_on} – {end})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A term cannot end before it starts.")})


class BoardSeat(models.Model):
    """A seat on a board term: who holds it, in which role, and her assigned tasks."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Board member")

    term = models.ForeignKey(BoardTerm, on_delete=models.CASCADE, related_name="seats", verbose_name=_("term"))
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    tasks = models.TextField(_("assigned tasks"), blank=True)
    tasks_en = models.TextField(_("assigned tasks (English)"), blank=True)
    history = HistoricalRecords()

    scope = Scope(province="term__network__province", network="term__network", member="person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["term", "role", "pk"]
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], name="one_seat_per_person_per_term"),
            models.UniqueConstraint(
                fields=["term"], condition=models.Q(role="chair"), name="at_most_one_chair_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from members.models import Membership

        try:
            term = self.term  # may be a term not saved yet (admin add page with its seats)
        except BoardTerm.DoesNotExist:
            term = None
        if term is not None and term.network_id and self.person_id:
            is_member = Membership.objects.filter(
                network_id=term.network_id, person_id=self.person_id, status=Membership.Status.MEMBER
            ).exists()
            if not is_member:
                raise ValidationError({"person": _("Only members of the network can hold a board seat.")})


class Task(models.Model):
    """A task the board assigns to one of the network's members, with a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("task status", "To do")
        IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
        DONE = "done", pgettext_lazy("task status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("task status", "Cancelled")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("network"))
    title = models.CharField(_("task"), max_length=255)
    assignee = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="network_tasks", verbose_name=_("assigned to")
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    history = HistoricalRecords()

    scope = Scope(province="network__province", network="network", member="assignee__user")
    objects = ScopedQuerySet.as_manager()

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["network", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Announcement(models.Model):
    """A message the board or staff sent to the network's members (the record of it)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("network")
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    channels = models.CharField(_("sent by"), max_length=50)
    emails_sent = models.PositiveIntegerField(_("e-mails sent"), default=0)
    sms_sent = models.PositiveIntegerField(_("text messages sent"), default=0)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    scope = Scope(
        province="network__province", network="network", member="network__memberships__person__user", multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.subject

    @property
    def zalo_text(self) -> str:
        """The text to paste into the network's Zalo group."""
        parts = [f"[{self.network.name}] {self.subject}", "", self.message.strip()]
        if self.link:
            parts += ["", self.link]
        return "\n".join(parts)


def bilingual(vi: str, en: str, language: str) -> tuple[str, bool]:
    """The text to print in ``language`` and whether it is missing its translation.

    Vietnamese is the original; an English document prints the English text, or the
    Vietnamese one flagged as untranslated (so the reader sees it, and staff can fix it)."""
    if language == "en":
        if en.strip():
            return en, False
        return vi, bool(vi.strip())
    return vi or en, False


class DonorAgreement(models.Model):
    """A funding agreement with a donor (e.g. UNDP): number, title, period, the networks
    it covers, its amendments and (optionally) budget lines. Texts are bilingual."""

    donor = models.CharField(_("donor"), max_length=200)
    number = models.CharField(_("agreement number"), max_length=100, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    project_vi = models.CharField(_("project (Vietnamese)"), max_length=300, blank=True)
    project_en = models.CharField(_("project (English)"), max_length=300, blank=True)
    summary_vi = models.TextField(_("summary (Vietnamese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    networks = models.ManyToManyField(
        Network, blank=True, related_name="agreements", verbose_name=_("networks covered")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[networks])

    # Agreements are aggregate-level facts: provincial staff see those covering one of
    # their networks, donor viewers all of them.
    scope = Scope(province="networks__province", network="networks", donor=True, multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "number"]
        verbose_name = _("donor agreement")
        verbose_name_plural = _("donor agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="agreement_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title_vi}"

    def title_in(self, language: str) -> tuple[str, bool]:
        return bilingual(self.title_vi, self.title_en, language)


class AgreementAmendment(models.Model):
    """An amendment to an agreement, with its date (e.g. two provinces extended to three)."""

    agreement = models.ForeignKey(
        DonorAgreement, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("agreement")
    )
    number = models.CharField(_("amendment number"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"))
    summary_vi = models.TextField(_("what changed (Vietnamese)"))
    summary_en = models.TextField(_("what changed (English)"), blank=True)
    history = HistoricalRecords()

    scope = Scope(province="agreement__networks__province", network="agreement__networks", donor=True, multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["signed_on", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.agreement.number} / {self.number or self.signed_on}"


class BudgetLine(models.Model):
    """An optional budget line of an agreement."""

    agreement = models.ForeignKey(
        DonorAgreement, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("agreement")
    )
    code = models.CharField(_("code"), max_length=40)
    label_vi = models.CharField(_("budget line (Vietnamese)"), max_length=300)
    label_en = models.CharField(_("budget line (English)"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    history = HistoricalRecords()

    scope = Scope(province="agreement__networks__province", network="agreement__networks", donor=True, multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.UniqueConstraint(fields=["agreement", "code"], name="unique_budget_line_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.label_vi}"


class ResultLevel(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


class Result(models.Model):
    """An outcome, or an output under an outcome, of an agreement's results framework."""

    agreement = models.ForeignKey(
        DonorAgreement, on_delete=models.CASCADE, related_name="results", verbose_name=_("agreement")
    )
    level = models.CharField(_("level"), max_length=10, choices=ResultLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outputs",
        verbose_name=_("outcome"),
        help_text=_("The outcome an output contributes to."),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 1 or 1.2"))
    statement_vi = models.TextField(_("statement (Vietnamese)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    history = HistoricalRecords()

    scope = Scope(province="agreement__networks__province", network="agreement__networks", donor=True, multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "code"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [models.UniqueConstraint(fields=["agreement", "code"], name="unique_result_code")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.code}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.level == ResultLevel.OUTPUT and (self.parent is None or self.parent.level != ResultLevel.OUTCOME):
            raise ValidationError({"parent": _("An output belongs to an outcome of the same agreement.")})
        if self.level == ResultLevel.OUTCOME and self.parent_id:
            raise ValidationError({"parent": _("An outcome has no parent.")})
        if self.parent_id and self.parent.agreement_id != self.agreement_id:
            raise ValidationError({"parent": _("An output belongs to an outcome of the same agreement.")})


class Indicator(models.Model):
    """A measurable indicator of a result, with baseline, target and unit. Its actual is
    a computed figure from the catalogue (``reports.indicators``) or entered by hand with
    evidence (``IndicatorActual``); targets may be broken down by province."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("result"))
    code = models.CharField(_("code"), max_length=20)
    name_vi = models.CharField(_("indicator (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("indicator (English)"), max_length=300, blank=True)
    unit_vi = models.CharField(_("unit (Vietnamese)"), max_length=60)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    source = models.CharField(
        _("source of the actual"),
        max_length=40,
        choices=IndicatorSource.choices,
        default=IndicatorSource.MANUAL,
        help_text=_("A figure the portal computes, or entered by hand with an evidence file."),
    )
    history = HistoricalRecords()

    scope = Scope(
        province="result__agreement__networks__province", network="result__agreement__networks", donor=True, multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["result__code", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["result", "code"], name="unique_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"


class IndicatorTarget(models.Model):
    """An indicator's target in one province (the breakdown by province)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="province_targets", verbose_name=_("indicator")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    scope = Scope(province="province", donor=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "province__name"]
        verbose_name = _("target by province")
        verbose_name_plural = _("targets by province")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "province"], name="unique_indicator_target_per_province")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} / {self.province}: {self.target}"


class IndicatorActual(models.Model):
    """An actual entered by hand for a manual indicator, for one province (or overall),
    as of a date, with the evidence file. The report uses the latest value dated within
    its period and entered before its data cut-off."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("indicator")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    evidence = models.FileField(_("evidence"), upload_to="networks/evidence/")
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"))
    history = HistoricalRecords()

    scope = Scope(province="province", donor=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-entered_at"]
        verbose_name = _("actual entered by hand")
        verbose_name_plural = _("actuals entered by hand")

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value} ({self.as_of})"
