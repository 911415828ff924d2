"""Writes of the portal's own records: the personal-data access log and the breach register."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import AccessLog, Breach


def access_log_record(
    *,
    user: Any,
    action: str,
    person: Any = None,
    province_id: int | None = None,
    what: str = "",
    rows: int | None = None,
) -> AccessLog:
    """Add one entry to the access log. ``province_id`` defaults to the person's; an
    export or report over several provinces passes the user's own (None for central)."""
    if province_id is None and person is not None:
        province_id = person.province_id
    if province_id is None and user is not None and getattr(user, "is_authenticated", False):
        province_id = user.scope_province_id
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AccessLog.objects.create(
        at=timezone.now(),
        user=user if authenticated else None,
        user_label=(user.email if authenticated else "")[:254],
        action=action,
        person=person,
        province_id=province_id,
        what=what[:300],
        rows=rows,
    )


BREACH_FIELDS = (
    "title",
    "discovered_at",
    "occurred_at",
    "description",
    "data_categories",
    "people_affected",
    "consequences",
    "measures",
    "contact",
)


@transaction.atomic
def breach_record(*, data: dict[str, Any], provinces: Any = (), actor: Any) -> Breach:
    """Record a personal-data breach (central staff). The discovery time may not be in
    the future; the 72-hour deadline runs from it."""
    breach = Breach(recorded_by=actor if getattr(actor, "pk", None) else None)
    for field in BREACH_FIELDS:
        if field in data:
            setattr(breach, field, data[field])
    _check_times(breach.discovered_at, breach.occurred_at)
    breach.full_clean()
    breach.save()
    breach.provinces.set(provinces)
    return breach


@transaction.atomic
def breach_mark_notified(*, breach: Breach, at: datetime | None = None) -> Breach:
    """The authority (A05, Ministry of Public Security) was notified."""
    breach.notified_at = at or timezone.now()
    if breach.notified_at < breach.discovered_at:
        raise ValidationError({"notified_at": _("The notification cannot come before the discovery.")})
    breach.status = Breach.Status.NOTIFIED
    breach.full_clean()
    breach.save(update_fields=["notified_at", "status"])
    return breach


def _check_times(discovered: datetime | None, occurred: datetime | None) -> None:
    if discovered and discovered > timezone.now():
        raise ValidationError({"discovered_at": _("The discovery time cannot be in the future.")})
    if discovered and occurred and occurred > discovered:
        raise ValidationError({"occurred_at": _("The breach cannot have happened after it was discovered.")})
