"""Formatting in the report's language (active while the report renders): dates as
dd/mm/yyyy in Vietnamese, numbers with the language's decimal separator ("3,5"), and
bilingual texts with a visible mark where the English translation is missing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rdate(value: date | datetime | str | None) -> str:
    """A date in the report's language's short format (``portal/formats``): 08/05/2026."""
    if not value:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def rnum(value: Any, decimals: int | None = None) -> str:
    """A number in the report's language ("3,5" in Vietnamese); "—" for missing values;
    text (e.g. the small-cell "<5") as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, float | Decimal) and decimals is None:
        decimals = 0 if value == int(value) else 1
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


@register.filter
def tx(value: dict[str, Any] | str | None) -> str:
    """A bilingual text from the figures; an English report printing the Vietnamese
    original because the translation is missing marks it "[not translated]"."""
    if not value:
        return "—"
    if isinstance(value, str):
        return value
    if not value.get("text"):
        return "—"
    if value.get("missing"):
        return format_html('{} <span class="untranslated">[{}]</span>', value["text"], _("not translated"))
    return value["text"]
