"""Text hygiene at every entrance: one function, used by forms, imports and survey answers.

A control character pasted into a form (Word's line break arrives as a vertical tab) or a
NUL in a CSV is stored as is and later makes every Excel export (openpyxl refuses it) and
PDF of the province fail. Text that enters the portal therefore goes through
:func:`clean_text`: line breaks of every kind become ``\\n``, other control characters
(C0 except tab and newline, DEL, C1, and the code points XML forbids) are removed, and
the result is Unicode NFC.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Line and paragraph breaks as other programs write them: kept as a newline.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Everything else a spreadsheet, XML or PDF cannot hold: C0 except \t and \n, DEL, C1,
# lone surrogates and the two XML non-characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


_ANY = re.compile(f"{_BREAKS.pattern}|{_FORBIDDEN.pattern}")


def clean_text(value: Any) -> Any:
    """Return ``value`` NFC-normalised, with line breaks as ``\\n`` and every other
    control character removed. Values that are not strings are returned unchanged."""
    if not isinstance(value, str):
        return value
    if _ANY.search(value) is None and unicodedata.is_normalized("NFC", value):
        return value  # the common case, checked without building new strings
    value = _BREAKS.sub("\n", value)
    value = _FORBIDDEN.sub("", value)
    return unicodedata.normalize("NFC", value)


_SOFT_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def printable(value: Any) -> Any:
    """``value`` without the characters a workbook, XML or PDF cannot hold, otherwise
    unchanged (tab, CR and LF stay): for output, where a stored value must never make an
    export or document fail however it got in."""
    if not isinstance(value, str):
        return value
    return _FORBIDDEN.sub("", _SOFT_BREAKS.sub("\n", value))


def clean_line(value: Any) -> Any:
    """:func:`clean_text` for one-line values (names, organisations): breaks become a
    space, outer blanks are trimmed."""
    value = clean_text(value)
    if not isinstance(value, str):
        return value
    return value.replace("\n", " ").replace("\t", " ").strip()


def is_clean(value: str) -> bool:
    """True when :func:`clean_text` would not change ``value``."""
    return clean_text(value) == value


def shorten(value: Any, limit: int = 100) -> str:
    """``value`` as text cut to ``limit`` characters (with an ellipsis), for messages that
    quote what a user sent."""
    text = clean_line(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CleanTextFormMixin:
    """Mix into a Django form: every submitted text value goes through :func:`clean_text`
    before the fields validate it, so no form can store a control character.

    ``clean_text_keep`` names fields passed on exactly as typed (passwords: a stored
    hash was made from the characters as they were)."""

    clean_text_keep: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data", args[0] if args else None)
        keep = self.clean_text_keep
        if data is not None and hasattr(data, "lists"):
            cleaned = data.copy()
            for key, values in data.lists():
                cleaned.setlist(key, values if key in keep else [clean_text(v) for v in values])
            if "data" in kwargs:
                kwargs["data"] = cleaned
            else:
                args = (cleaned, *args[1:])
        elif isinstance(data, dict):
            cleaned_dict = {k: v if k in keep else clean_text(v) for k, v in data.items()}
            if "data" in kwargs:
                kwargs["data"] = cleaned_dict
            else:
                args = (cleaned_dict, *args[1:])
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
