"""Audit history rows for thousands of records at once (imports).

django-simple-history's ``bulk_history_create`` builds one historical model instance per
record and lets ``bulk_create`` compile every value of every row: for a 5,000-row import
that was half the time of the whole write. :func:`bulk_history_insert` writes the same
rows — the same columns, values, ``history_type``, user and date — with one INSERT
statement prepared once and run with ``executemany``. Single saves keep going through
simple_history's signals; this is only for the bulk writers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

# Field classes whose Python values the database drivers take as they are (str, int,
# bool, None); any other value of theirs, and every other field, goes through the
# field's own ``get_db_prep_save``. Exact classes: a subclass (a phone number field is
# a CharField) may hold objects the driver cannot take.
_PLAIN = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.EmailField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.SmallIntegerField,
    models.TextField,
}


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    prep = field.get_db_prep_save
    if type(field) in _PLAIN:
        return lambda value: value if value is None or type(value) in (str, int, bool) else prep(value, connection)
    # Rows written together share many values (the time of the import on every row):
    # each distinct value is converted once.
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = prep(value, connection)
            return converted
        except TypeError:  # not hashable
            return prep(value, connection)

    return convert


def bulk_history_insert(
    model: type[models.Model],
    objects: Sequence[models.Model],
    *,
    update: bool = False,
    user: Any = None,
    when: Any = None,
    reason: str = "",
) -> int:
    """Write one history row per saved object of ``model`` (``+`` created, or ``~``
    changed when ``update``), by ``user`` at ``when`` (now by default), as
    ``bulk_history_create`` would. Returns the number of rows written."""
    if not objects:
        return 0
    if any(obj.pk is None for obj in objects):
        raise ValueError("bulk_history_insert: every object must be saved first")
    history = model.history.model
    connection = connections[router.db_for_write(history)]
    when = when or timezone.now()
    fixed = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": "~" if update else "+",
        "history_user": getattr(user, "pk", None),
    }
    tracked = {field.attname for field in history.tracked_fields}
    head_columns: list[str] = []
    head: list[Any] = []  # the same value on every row
    row_columns: list[str] = []
    per_row: list[tuple[str, Callable[[Any], Any]]] = []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue  # history_id: the database numbers the rows
        if field.name in fixed:
            head_columns.append(field.column)
            head.append(field.get_db_prep_save(fixed[field.name], connection))
        elif field.attname in tracked:
            row_columns.append(field.column)
            per_row.append((field.attname, _converter(field, connection)))
        else:  # a column this writer does not know: let simple_history write the rows
            model.history.bulk_history_create(
                objects, update=update, default_user=user, default_date=when, default_change_reason=reason
            )
            return len(objects)
    quote = connection.ops.quote_name
    table = quote(history._meta.db_table)
    names = ", ".join(quote(column) for column in [*head_columns, *row_columns])
    rows = [(*head, *(convert(getattr(obj, name)) for name, convert in per_row)) for obj in objects]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, f"INSERT INTO {table} ({names}) VALUES %s", rows, page_size=1000)  # noqa: S608
        else:
            marks = ", ".join(["%s"] * (len(head_columns) + len(row_columns)))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
    return len(rows)
