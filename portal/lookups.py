"""``pk__in=[<30-digit number>]`` matches nothing instead of crashing the database driver.

Django already answers an out-of-range ``pk=<huge>`` with an empty result; ``__in`` still
sends the number to the driver (SQLite raises OverflowError, a 500). Ids typed into URLs,
query strings and forms reach ``__in`` through ModelMultipleChoiceField and selectors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

# The widest integer column the portal has (BigAutoField): a foreign key can hold no more.
_LOW, _HIGH = -(2**63), 2**63 - 1


def _fits(value: Any) -> bool:
    return not isinstance(value, int) or _LOW <= value <= _HIGH


class InWithinRange(In):
    """``in`` for integer columns that drops values the column cannot hold."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set | frozenset):
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


class RelatedExactWithinRange(RelatedExact):
    """``event_id=<huge>`` on a foreign key matches nothing: Django checks the range for
    integer columns only, so SQLite's driver raised OverflowError (a 500)."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and not _fits(self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class RelatedInWithinRange(RelatedIn):
    """``event_id__in=[<huge>]`` on a foreign key drops what no column can hold."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set | frozenset):
            self.rhs = [value for value in self.rhs if _fits(value)]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(InWithinRange)
    ForeignKey.register_lookup(RelatedExactWithinRange, "exact")
    ForeignKey.register_lookup(RelatedInWithinRange, "in")
