"""Date boxes that read and write the language's own format (23/11/2026 in Vietnamese).

A native ``<input type="date">`` shows the browser's format — mm/dd/yyyy in an English
browser — whatever the page's language, so the portal uses plain text boxes that take
the formats of ``portal/formats/<language>/formats.py`` (ISO dates are accepted too).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off", "size": 12}
        super().__init__(attrs={**base, **(attrs or {})})


class DateTimeInput(forms.DateTimeInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": _("dd/mm/yyyy hh:mm"), "autocomplete": "off", "size": 18}
        super().__init__(attrs={**base, **(attrs or {})})


class LinkInput(forms.TextInput):
    """A web address box that takes "baohungyen.vn/tin/123" as typed: ``type="url"``
    makes the browser refuse a link without ``https://`` before the form can add it."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"inputmode": "url", "autocomplete": "off", "placeholder": "baohungyen.vn/…"}
        super().__init__(attrs={**base, **(attrs or {})})
