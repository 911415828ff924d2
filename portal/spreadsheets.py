"""Spreadsheet safety for every export (import-export resources and hand-made workbooks).

A cell that starts with =, +, -, @, a tab or a carriage return is run as a formula
by Excel/LibreOffice (CSV injection). django-import-export's own setting escapes
only "=", so every export goes through :func:`neutralise`.
"""

from __future__ import annotations

from typing import Any

from portal.text import printable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Return ``value`` with a leading apostrophe if a spreadsheet would run it, and
    without the control characters a workbook cannot hold (so a stored value, however it
    got in, never makes an export fail)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        value = "'" + value
    return printable(value)


def neutralise_dataset(dataset: Any) -> Any:
    """Neutralise every cell of a tablib Dataset in place and return it."""
    rows = [tuple(neutralise(cell) for cell in row) for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


class SafeExportMixin:
    """Mix into an import-export ``Resource``: its exports carry no runnable formula."""

    def export(self, *args: Any, **kwargs: Any) -> Any:
        return neutralise_dataset(super().export(*args, **kwargs))  # type: ignore[misc]
