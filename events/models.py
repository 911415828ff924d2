"""Events and trainings of the networks: programme, trainers and speakers,
invitations, attendance and media coverage."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet
from portal.collation import VI_COLLATION, people_order
from portal.roles import Role


def new_token() -> str:
    """A URL-safe secret for personal invitation links and venue QR codes."""
    return secrets.token_urlsafe(24)


class Topic(models.Model):
    """A training topic from the managed list (gender and leadership, digital transformation…)."""

    name = models.CharField(_("name"), max_length=200, unique=True, db_collation=VI_COLLATION)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    history = HistoricalRecords()

    # Reference data: every logged-in user may read it; central staff manage it.
    scope = Scope(public=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class SpeakerQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> ScopedQuerySet:  # noqa: ANN001 - User or AnonymousUser
        """Her province's speakers, plus the shared roster (no province) for staff and
        board members: trainers are reused across provinces."""
        own = super().visible_to(user)
        if user is None or not user.is_authenticated or not user.is_active or user.is_central:
            return own
        if user.is_portal_staff or user.role == Role.BOARD_MEMBER:
            return own | self.filter(province__isnull=True)
        return own


class Speaker(models.Model):
    """A trainer, guest speaker or presenter on the roster, reused across events.

    ``province`` empty means the shared (central) roster that every province may use."""

    class Kind(models.TextChoices):
        TRAINER = "trainer", _("Trainer")
        GUEST_SPEAKER = "guest_speaker", _("Guest speaker")
        PRESENTER = "presenter", _("Presenter")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINER)
    full_name = models.CharField(_("full name"), max_length=200, db_collation=VI_COLLATION)
    title = models.CharField(
        pgettext_lazy("academic title", "title"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Dr., Associate Professor."),
    )
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    bio_vi = models.TextField(_("short biography (Vietnamese)"), blank=True)
    bio_en = models.TextField(_("short biography (English)"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    province = models.ForeignKey(
        "networks.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speakers",
        verbose_name=_("province"),
        help_text=_("Leave empty for the shared roster of the Central Union."),
    )
    history = HistoricalRecords()

    scope = Scope(province="province")
    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = people_order()
        verbose_name = _("trainer or speaker")
        verbose_name_plural = _("trainers and speakers")

    def __str__(self) -> str:
        return f"{self.title} {self.full_name}".strip()


class Event(models.Model):
    """An event of one network or of several (e.g. a cross-province evaluation workshop)."""

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("Launch ceremony")
        TRAINING = "training", _("Training")
        THEMATIC_WORKSHOP = "workshop", _("Thematic workshop")
        EVALUATION_WORKSHOP = "evaluation", _("Evaluation workshop")
        STUDY_TOUR = "study_tour", _("Study tour")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    networks = models.ManyToManyField("networks.Network", related_name="events", verbose_name=_("networks"))
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    duration_days = models.DecimalField(
        _("duration in days"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("0.5 for a half day, 1 for a full day…"),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="events", verbose_name=_("topics"))
    speakers = models.ManyToManyField(
        Speaker, blank=True, related_name="events", verbose_name=_("trainers and speakers")
    )
    description = models.TextField(_("description"), blank=True)
    planned_activities = models.ManyToManyField(
        "networks.PlannedActivity",
        blank=True,
        related_name="events",
        verbose_name=_("planned activities it delivers"),
        help_text=_("The activities of the annual plan that this event carries out."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit; beyond it, a waiting list.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    organiser = models.ForeignKey(
        "networks.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organising province"),
        help_text=_(
            "For an event of several provinces: the province that runs it with the Central Union. "
            "Empty means the Central Union alone."
        ),
    )
    certificate_min_days = models.DecimalField(
        _("days present for a certificate"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_(
            "For a training of several days: the days a participant must attend to get a certificate "
            "(empty: every day)."
        ),
    )
    awaiting_approval = models.BooleanField(
        _("awaiting staff approval"),
        default=False,
        help_text=_("Created by the network's board; provincial staff approve it before invitations go out."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    checkin_token = models.CharField(_("check-in code"), max_length=64, unique=True, default=new_token, editable=False)
    agreement = models.ForeignKey(
        "networks.DonorAgreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("funded by agreement"),
    )
    other_funding = models.CharField(
        _("other funding source"),
        max_length=255,
        blank=True,
        help_text=_("When no donor agreement pays for the event: who does (e.g. provincial budget)."),
    )
    # When the row was entered: a report with an earlier data cut-off leaves it out.
    created_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    history = HistoricalRecords(m2m_fields=[networks])

    scope = Scope(
        province="networks__province",
        network="networks",
        member="networks__memberships__person__user",
        donor=True,
        multi=True,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="event_starts_at_idx")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    @property
    def answers_open(self) -> bool:
        """Whether invitations can still be answered: not cancelled and not over (the
        same rule ``invitation_respond`` enforces), so pages offer no RSVP after it."""
        return self.status != self.Status.CANCELLED and self.ends_at >= timezone.now()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.agreement_id and self.other_funding.strip():
            errors["other_funding"] = _("Choose the donor agreement or name another source, not both.")
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.online_link:
            errors["online_link"] = _("An online or hybrid event needs its online link.")
        if self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID) and not self.venue:
            errors["venue"] = _("An in-person or hybrid event needs its venue.")
        if errors:
            raise ValidationError(errors)

    def is_closed(self, now) -> bool:  # noqa: ANN001 - aware datetime
        """True once the event is over (after ``ends_at``) or cancelled: no more self check-in."""
        return self.status == self.Status.CANCELLED or now > self.ends_at

    @property
    def self_checkin_opens_at(self):  # noqa: ANN201 - aware datetime
        """When attendees may start checking themselves in with the venue QR code."""
        return self.starts_at - timedelta(minutes=settings.SELF_CHECKIN_OPENS_MINUTES_BEFORE)

    @property
    def is_multi_day(self) -> bool:
        return self.duration_days > 1

    @property
    def certificate_days_required(self) -> Decimal:
        """Days present a participant needs for a certificate: the rule set on the event,
        or every day of it. A one-day event needs only the check-in."""
        if not self.is_multi_day:
            return Decimal("0")
        return self.certificate_min_days or self.duration_days

    @property
    def issues_certificates(self) -> bool:
        """Certificates of attendance are issued for trainings that were not cancelled."""
        return self.kind == self.Kind.TRAINING and self.status != self.Status.CANCELLED


class AgendaItem(models.Model):
    """One slot of an event's programme, optionally led by a trainer or speaker."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("event"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(pgettext_lazy("agenda end time", "to"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), default=1)
    title = models.CharField(_("title"), max_length=255)
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("trainer or speaker"),
    )
    history = HistoricalRecords()

    scope = Scope(
        province="event__networks__province",
        network="event__networks",
        member="event__networks__memberships__person__user",
        donor=True,
        multi=True,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["day", "starts_at"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An agenda item must end after it starts.")})


class Invitation(models.Model):
    """A person invited to an event: a member of one of its networks or a named guest.

    Rows belong to the invited person's province: on a cross-province event each
    Provincial Union sees her own invitees by name."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event"))
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="event_invitations", verbose_name=_("person")
    )
    is_member = models.BooleanField(
        _("member"), help_text=_("A member of one of the event's networks when invited; otherwise a guest.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INVITED)
    token = models.CharField(_("personal link code"), max_length=64, unique=True, default=new_token, editable=False)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    scope = Scope(
        province="person__province", network="person__memberships__network", member="person__user", multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = people_order("person__full_name")
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="unique_invitation_per_event")]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class Attendance(models.Model):
    """One person present at one event (at most once: a second check-in changes nothing).

    Rows belong to the attendee's province (see :class:`Invitation`)."""

    class Method(models.TextChoices):
        STAFF = "staff", _("Checked in by staff")
        QR = "qr", _("Scanned the QR code")
        WALK_IN = "walk_in", _("Walk-in added on the day")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("event"))
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="event_attendances", verbose_name=_("person")
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("invitation"),
    )
    is_member = models.BooleanField(_("member"))
    method = models.CharField(_("check-in"), max_length=20, choices=Method.choices, default=Method.STAFF)
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    days_present = models.DecimalField(
        _("days present"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("For an event of several days; empty means the day she checked in."),
    )
    history = HistoricalRecords()

    scope = Scope(
        province="person__province", network="person__memberships__network", member="person__user", multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = people_order("person__full_name")
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="unique_attendance_per_event")]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"

    @property
    def is_walk_in(self) -> bool:
        return self.method == self.Method.WALK_IN

    @property
    def earns_certificate(self) -> bool:
        """True when this attendance earns a certificate: a check-in at a training, and on
        a training of several days the days present the event requires."""
        event = self.event
        if not event.issues_certificates:
            return False
        if not event.is_multi_day:
            return True
        present = self.days_present if self.days_present is not None else Decimal("1")
        return present >= event.certificate_days_required


class MediaCoverage(models.Model):
    """A news item or post about an event (Union and donor websites, fan pages)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="media", verbose_name=_("event"))
    outlet = models.CharField(_("outlet"), max_length=200)
    published_on = models.DateField(_("published on"))
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    scope = Scope(
        province="event__networks__province",
        network="event__networks",
        member="event__networks__memberships__person__user",
        donor=True,
        multi=True,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")

    def __str__(self) -> str:
        return f"{self.outlet}: {self.title}"
