"""Accounts and roles. A user logs in by e-mail; her role decides what she may see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet
from portal.collation import VI_COLLATION
from portal.roles import STAFF_ROLES, Role

__all__ = ["STAFF_ROLES", "Role", "User"]


class UserManager(BaseUserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", Role.CENTRAL_STAFF)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in. ``role`` with ``province`` or ``network`` fixes her scope."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True, db_collation=VI_COLLATION)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    province = models.ForeignKey(
        "networks.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Required for provincial staff."),
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required for board members."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: Vietnamese, the portal's default."),
    )
    history = HistoricalRecords()

    # Provincial staff see her province's accounts, central staff all.
    scope = Scope(province="province", network="network", member="pk")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_central(self) -> bool:
        """True for central staff and superusers: they see every province."""
        return self.is_superuser or self.role == Role.CENTRAL_STAFF

    @property
    def is_portal_staff(self) -> bool:
        """True for central and provincial staff, who manage records."""
        return self.is_superuser or self.role in STAFF_ROLES

    @property
    def scope_province_id(self) -> int | None:
        """The province this user is limited to, or None when she is not limited to one."""
        if self.role == Role.PROVINCIAL_STAFF:
            return self.province_id
        if self.role == Role.BOARD_MEMBER and self.network_id:
            return self.network.province_id
        return None

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.role == Role.PROVINCIAL_STAFF and not self.province_id:
            raise ValidationError({"province": _("Provincial staff must be tied to a province.")})
        if self.role == Role.BOARD_MEMBER and not self.network_id:
            raise ValidationError({"network": _("A board member must be tied to a network.")})


class AccessLog(models.Model):
    """Who did what with personal data, and when (issue 11): opened a person's page,
    exported a list with personal columns, downloaded a report listing people; and the
    events of a person's rights (consent withdrawn, removal asked, anonymised). Kept
    (never edited), searchable by central staff; provincial staff see their province's."""

    class Action(models.TextChoices):
        VIEW_PERSON = "view_person", _("Opened a person's page")
        EXPORT = "export", _("Exported a list with personal columns")
        REPORT = "report", _("Downloaded a report listing people")
        OWN_DATA = "own_data", _("Downloaded her own data")
        CONSENT_WITHDRAWN = "withdrawn", _("Consent withdrawn")
        REMOVAL_REQUESTED = "removal", _("Removal requested")
        ANONYMISED = "anonymised", _("Personal data anonymised")

    at = models.DateTimeField(_("when"), db_index=True)
    user = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who")
    )
    user_label = models.CharField(_("who (at the time)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    person = models.ForeignKey(
        "members.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    province = models.ForeignKey(
        "networks.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    what = models.CharField(_("what"), max_length=300, blank=True)
    rows = models.PositiveIntegerField(_("people listed"), null=True, blank=True)

    # Central staff see every entry; provincial staff their province's (an entry with no
    # province, e.g. a national export, is central only).
    scope = Scope(province="province")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_action_display()}"


class Breach(models.Model):
    """A personal-data breach (Decree 13/2023, art. 23): notify the authority within
    72 hours of discovering it. Central staff record it; the portal shows the deadline
    and drafts the notification from what was recorded."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        NOTIFIED = "notified", _("Authority notified")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered at"))
    occurred_at = models.DateTimeField(_("happened at (if known)"), null=True, blank=True)
    description = models.TextField(_("what happened"))
    data_categories = models.TextField(_("kinds of personal data concerned"))
    people_affected = models.PositiveIntegerField(_("people affected (approximately)"), null=True, blank=True)
    provinces = models.ManyToManyField(
        "networks.Province", blank=True, related_name="+", verbose_name=_("provinces concerned")
    )
    consequences = models.TextField(_("likely consequences"), blank=True)
    measures = models.TextField(_("measures taken or planned"), blank=True)
    contact = models.CharField(_("contact person"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    history = HistoricalRecords()

    scope = Scope()  # central staff only
    objects = ScopedQuerySet.as_manager()

    NOTIFY_WITHIN_HOURS = 72

    class Meta:
        ordering = ["-discovered_at"]
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> Any:
        """When the authority must have been notified: 72 hours after discovery."""
        return self.discovered_at + timedelta(hours=self.NOTIFY_WITHIN_HOURS)

    def hours_left(self, now: Any = None) -> float:
        """Hours until the deadline (negative once it has passed)."""
        now = now or timezone.now()
        return round((self.deadline - now).total_seconds() / 3600, 1)


class OutgoingSMS(models.Model):
    """One text message on its way out through ``settings.SMS_BACKEND`` (portal.sms).

    It is stored before it is sent, so a gateway failure leaves it ``queued`` with the
    error and the time of the next attempt, visible to staff of its province, until the
    retry job (Celery beat or ``manage.py send_due_messages``) gets it through or gives
    up after ``portal.sms.MAX_ATTEMPTS``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (gave up)")

    to = models.CharField(_("to"), max_length=20)
    body = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=40)
    sensitive = models.BooleanField(
        _("contains a code"), default=False, help_text=_("The text is blanked once the message is sent.")
    )
    province = models.ForeignKey(
        "networks.Province",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    scope = Scope(province="province")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("text message (SMS)")
        verbose_name_plural = _("text messages (SMS)")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to} — {self.get_status_display()}"


class DataVersion(models.Model):
    """A counter that database triggers raise in the same transaction as every write to a
    family of tables (``topic``; see migration ``portal.0007``), so a cache key that
    carries it changes exactly when the data do, whoever writes them — services, admin,
    bulk ``update()`` or raw SQL. Writers raise the row of their ``shard`` (on PostgreSQL
    the connection's process id modulo 16), so writers in different provinces do not
    queue on one row; the version is the sum over the shards (``portal.caching.data_version``)."""

    topic = models.CharField(max_length=30)
    shard = models.PositiveSmallIntegerField(default=0)
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "shard"], name="portal_dataversion_topic_shard")]

    def __str__(self) -> str:
        return f"{self.topic}[{self.shard}] {self.version}"
