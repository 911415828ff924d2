"""Provinces (current and legacy), communes, and the provincial networks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

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
