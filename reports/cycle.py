"""Quarter arithmetic for the reporting cycle."""

from __future__ import annotations

from datetime import date, timedelta

# A quarter's report is due this many days after the quarter ends (Project 8 plan:
# provinces report in the first weeks of the following quarter).
DUE_DAYS_AFTER_QUARTER = 15
# Reminders go out this many days before the due date.
REMIND_DAYS_BEFORE = 5


def quarter_period(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of ``quarter`` (1–4) of ``year``."""
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def default_due_on(year: int, quarter: int) -> date:
    return quarter_period(year, quarter)[1] + timedelta(days=DUE_DAYS_AFTER_QUARTER)
