"""``pk__in=[<30-digit number>]`` matches nothing instead of crashing the database driver.

Django already answers an out-of-range ``pk=<huge>`` with an empty result; ``__in`` still
sends the number to the driver (SQLite raises OverflowError, a 500). Ids typed into URLs,
query strings and forms reach ``__in`` through ModelMultipleChoiceField and selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


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


def register() -> None:
    IntegerField.register_lookup(InWithinRange)
