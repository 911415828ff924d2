"""Vietnamese alphabetical order, the same on PostgreSQL and SQLite.

PostgreSQL sorts the name columns with an ICU collation, ``vi_icu`` — the ``vi`` locale,
the rules of PostgreSQL's built-in ``vi-x-icu`` — declared on the columns with
``db_collation`` and created by ``portal/migrations/0005`` (PostgreSQL only). SQLite has
no ICU, so the same name is registered on every SQLite connection as a Python collation
built on :func:`vi_sort_key`, which follows ICU's Vietnamese rules: ă, â, đ, ê,
ô, ơ, ư are letters of their own (Đ after D, "Ngô" before "Nguyễn"); tone marks only
break ties (none, huyền, hỏi, ngã, sắc, nặng); lower case before upper case.

Lists of people follow the order Vietnamese offices use: by given name (the last word),
then by the rest of the name — :func:`people_order` for querysets, :func:`person_sort_key`
for lists sorted in Python.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import F, Func, TextField
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate

# Not "vi-x-icu" itself: SQLite's schema editor writes the column collation unquoted.
VI_COLLATION = "vi_icu"

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Combining marks that make a letter of its own (ă â ê ô ơ ư) and the five tones.
_LETTER_MARKS = {"\u0306": "̆", "\u0302": "̂", "\u031b": "̛"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_COMPOSE = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô"}
_COMPOSE |= {("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}


def _split(char: str) -> tuple[str, int]:
    """A character as (Vietnamese base letter, tone)."""
    if char in "đĐ":
        return "đ", 0
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0].lower(), decomposed[1:]
    tone = 0
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            base = _COMPOSE.get((base, mark), base)
    return base, tone


@lru_cache(maxsize=65536)
def vi_sort_key(text: str | None) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]:
    """A key that sorts strings as ICU's Vietnamese collation does: letters first, then
    tones, then case (each level compared over the whole string)."""
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFC", text or ""):
        base, tone = _split(char)
        if base in _LETTER_RANK:
            weight = (3, _LETTER_RANK[base])
        elif base.isdigit():
            weight = (2, int(base) if base.isdecimal() else ord(base))
        elif base.isalpha():
            weight = (4, ord(base))
        else:  # spaces and punctuation come before digits and letters, as in ICU
            weight = (1, ord(base))
        primary.append(weight)
        tones.append(tone)
        cases.append(1 if char != char.lower() else 0)
    return tuple(primary), tuple(tones), tuple(cases)


def given_name_first(full_name: str | None) -> str:
    """ "Nguyễn Thị Hoa" → "Hoa Nguyễn Thị": the form people lists are sorted by."""
    parts = (full_name or "").split()
    return " ".join(parts[-1:] + parts[:-1])


def person_sort_key(full_name: str | None) -> tuple[Any, ...]:
    """Sort key for a person's name in Python: given name, then the rest."""
    return vi_sort_key(given_name_first(full_name))


def _sqlite_collate(left: str, right: str) -> int:
    a, b = vi_sort_key(left), vi_sort_key(right)
    return (a > b) - (a < b)


class GivenNameFirst(Func):
    """The name with its last word moved to the front, in the database."""

    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.as_sql(
            compiler,
            connection,
            template=r"regexp_replace(%(expressions)s, '^\s*(.*\S)\s+(\S+)\s*$', '\2 \1')",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.as_sql(compiler, connection, function="portal_given_name_first", **extra)


def people_order_keys(field: str = "full_name") -> list[Any]:
    """The expressions :func:`people_order` sorts by, for an index that serves it
    (``models.Index(*people_order_keys(), F("id"), ...)``): the planner uses an index
    only when its expressions and collation are exactly those of the ORDER BY."""
    return [Collate(GivenNameFirst(F(field)), VI_COLLATION), F(field)]


def people_order(field: str = "full_name") -> list[OrderBy]:
    """``order_by(*people_order("person__full_name"))``: given name, then family name, in
    Vietnamese order, then the full name as written."""
    return [key.asc() for key in people_order_keys(field)]


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every SQLite connection the ``vi_icu`` collation PostgreSQL gets from ICU."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, _sqlite_collate)
        connection.connection.create_function("portal_given_name_first", 1, given_name_first, deterministic=True)


connection_created.connect(register_sqlite_collation, dispatch_uid="portal.collation")
