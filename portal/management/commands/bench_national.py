"""``make bench-national``: see ``portal.national``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Seed national data into PostgreSQL, time every list and figure page, run a load test and the donor report."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--skip-load", action="store_true", help="no load test")
        parser.add_argument("--skip-report", action="store_true", help="no donor report")

    def handle(self, *args: Any, **options: Any) -> None:
        from portal import national

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        ids = national.seed(out)
        users = national._users(ids["networks"])
        national.single_requests(ids, users, out)
        if not options["skip_load"]:
            national.load_test(ids, users, out)
        if not options["skip_report"]:
            national.donor_report(ids, users, out)
