"""``manage.py anonymise_past_retention``: the retention task, from cron or by hand."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from members import services


class Command(BaseCommand):
    help = (
        "Anonymise candidates never admitted and guests whose last activity is older than "
        "RETENTION_MONTHS (default 24); delete unconfirmed import files older than a day."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only count who would be anonymised")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        if dry_run:
            count = services.people_past_retention().count()
            self.stdout.write(f"would anonymise: {count} (retention {settings.RETENTION_MONTHS} months)")
            return
        count = services.retention_anonymise()
        files = services.import_previews_cleanup()
        self.stdout.write(f"anonymised: {count}; import files deleted: {files}")
