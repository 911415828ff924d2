"""Dates kept as ISO text (the stored report figures) printed in the language's format."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def isodate(value: object) -> object:
    """ "2026-11-23" → "23/11/2026" in Vietnamese (SHORT_DATE_FORMAT); anything else as given."""
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, str) and len(value) == 10:
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return value
