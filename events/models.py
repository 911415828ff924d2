"""Events and trainings of the networks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet


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

    networks = models.ManyToManyField("networks.Network", related_name="events", verbose_name=_("networks"))
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
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
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title
