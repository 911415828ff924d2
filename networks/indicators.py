"""The catalogue of figures the portal computes for a results-framework indicator.

The keys live here (the networks app owns the indicator model); ``reports.indicators``
computes each figure per province for a report's period and cut-off."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand, with an evidence file")
    TRAININGS_HELD = "trainings_held", _("Trainings held")
    WORKSHOPS_HELD = "workshops_held", _("Thematic workshops held")
    EVENTS_HELD = "events_held", _("Events held (all kinds)")
    PEOPLE_TRAINED = "people_trained", _("People trained (distinct attendees of trainings)")
    PEOPLE_TRAINED_ETHNIC_MINORITY = "people_trained_ethnic_minority", _("People trained: ethnic minority")
    PEOPLE_TRAINED_YOUNG = "people_trained_young", _("People trained: young potential leaders")
    IMPROVED_SHARE = "improved_share", _("Share of trainees whose post-training knowledge score improved (%)")
    MEMBERS = "members", _("Members at the period end")
    MEMBERS_ADMITTED = "members_admitted", _("Members admitted in the period")
    NETWORKS_WITH_CHARTER_AND_BOARD = "networks_with_charter_and_board", _("Networks with a charter and a board")
    MEDIA_ITEMS = "media_items", _("Media items about the events")
    NEEDS_RESPONSES = "needs_responses", _("Needs-survey responses")
