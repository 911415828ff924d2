"""Phone numbers: accept the ways Vietnamese people write them, store E.164."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-()/]+")


def normalise_phone(raw: str | None) -> str:
    """Return ``raw`` as an E.164 string ("+84912345678"), or "" when blank.

    Accepts "0912 345 678", "+84 912 345 678", "84912345678" and "0084…". Raises
    ValidationError (a Vietnamese message) when it is not a valid phone number.
    """
    text = _SEPARATORS.sub("", str(raw or "")).strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("84") and len(text) in (11, 12):
        # Written with the country code but without the "+" (as Excel often keeps it).
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": raw}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("“%(value)s” is not a valid phone number.") % {"value": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
