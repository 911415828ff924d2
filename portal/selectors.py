"""Reads of the portal's own records, scoped through ``visible_to``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from portal.models import AccessLog, Breach


def access_log_search(
    *,
    user: Any,
    query: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLog]:
    """Entries the user may see (central staff: all; provincial staff: her province),
    newest first, optionally matching who acted or about whom, an action and a date range."""
    entries = AccessLog.objects.visible_to(user).select_related("person", "province")
    if query:
        entries = entries.filter(
            Q(user_label__icontains=query) | Q(person__full_name__icontains=query) | Q(what__icontains=query)
        )
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries


def breach_notification_draft(breach: Breach) -> str:
    """The notification to the authority, drafted from what was recorded (Decree
    13/2023, form 03): what happened and when, the data and people concerned, likely
    consequences, measures, contact, and why it is late when past 72 hours."""
    late = (breach.notified_at or timezone.now()) > breach.deadline
    return render_to_string(
        "portal/breach_notification.txt",
        {"breach": breach, "provinces": list(breach.provinces.all()), "late": late},
    ).strip()
