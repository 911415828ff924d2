"""Phone numbers: accept the ways Vietnamese people write them, store E.164."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

_SEPARATORS = re.compile(r"[\s.\-()/]+")


def _vietnamese_number_pattern() -> re.Pattern[str]:
    """ "+84" or "0" and a national number that libphonenumber's own metadata for Viet Nam
    calls a mobile or fixed-line number of a possible length: such a number is valid and
    its E.164 form is "+84" and that national number, exactly what ``phonenumbers``
    answers (its national prefix "0" is the only one stripped and no such number starts
    with it), without the dozen regular expressions it runs per number."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("VN")
    alternatives = []
    for desc in (metadata.mobile, metadata.fixed_line):
        lengths = ",".join(str(n) for n in desc.possible_length)
        alternatives.append(f"(?=[0-9]{{{lengths}}}$)(?:{desc.national_number_pattern})")
    return re.compile(rf"(?:\+84|0)((?:{'|'.join(alternatives)}))")


_VIETNAMESE = _vietnamese_number_pattern()


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
    # The usual case (a Vietnamese mobile or landline) without libphonenumber's full parse.
    match = _VIETNAMESE.fullmatch(text)
    if match:
        return "+84" + match.group(1)
    e164 = _parse_e164(text)
    if e164 is None:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": raw})
    if not e164:
        raise ValidationError(_("“%(value)s” is not a valid phone number.") % {"value": raw})
    return e164


@lru_cache(maxsize=4096)
def _parse_e164(text: str) -> str | None:
    """libphonenumber's answer for ``text``: its E.164 form, "" when it is not a valid
    number, None when it is not a phone number at all."""
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class CheckedPhoneNumber(PhoneNumber):
    """A number :func:`normalise_phone` accepted, for bulk writes: valid by construction
    and remembering its E.164 form, so saving, printing and searching it do not run
    libphonenumber's validation again (three to five times a row otherwise)."""

    _e164 = ""

    @classmethod
    def from_e164(cls, e164: str) -> CheckedPhoneNumber:
        if e164.startswith("+84") and e164[3:].isdigit() and not e164[3:].startswith("0"):
            number = cls(country_code=84, national_number=int(e164[3:]))
        else:
            number = cls.from_string(e164)
        number._e164 = e164
        return number

    def is_valid(self) -> bool:
        return True

    def format_as(self, format: int) -> str:  # noqa: A002 - the parent's name
        if format == phonenumbers.PhoneNumberFormat.E164:
            return self._e164
        return super().format_as(format)

    __hash__ = PhoneNumber.__hash__
