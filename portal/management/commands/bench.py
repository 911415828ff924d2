"""``make bench``: performance figures, one per line as ``name: value unit``.

Each app may provide ``<app>/bench.py`` with ``BENCHMARKS``, a list of callables that
return ``(name, value, unit)``. They run against a throw-away database (a copy of
the configured one, created and dropped here) so the demo data is never touched.
"""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import setup_databases, teardown_databases

APPS = ["networks", "members", "events", "surveys", "reports", "portal"]


class Command(BaseCommand):
    help = "Print performance figures (name: value unit)."

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("only", nargs="*", help="run only benchmarks whose name contains one of these")

    def handle(self, *args: object, **options: object) -> None:
        benchmarks = []
        for app in APPS:
            try:
                module = importlib.import_module(f"{app}.bench")
            except ModuleNotFoundError:
                continue
            benchmarks.extend(module.BENCHMARKS)
        only = options["only"]
        old_debug = settings.DEBUG
        config = setup_databases(verbosity=0, interactive=False)
        try:
            for bench in benchmarks:
                if only and not any(o in bench.__name__ for o in only):
                    continue
                for name, value, unit in bench():
                    self.stdout.write(
                        f"{name}: {value:.3f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}"
                    )
        finally:
            teardown_databases(config, verbosity=0)
            settings.DEBUG = old_debug
        if not benchmarks:
            self.stdout.write("no benchmarks registered yet")
