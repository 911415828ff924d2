"""The registry behind the cross-province tests.

Each app's ``tests/<app>/makers.py`` defines ``MAKERS``: for every model that app
registers in the admin, a function that creates one row belonging to province A
(from the ``ctx`` personas) and a search term that finds it. The tests in
``tests/portal/test_scoping.py`` then check every registered model through every
admin entry point, and fail when a registered model has no maker.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

APPS = ["portal", "networks", "members", "events", "surveys", "reports"]


@dataclass
class Maker:
    make: Callable[[Any], Any]  # ctx -> object in province A
    search: Callable[[Any], str]  # object -> a search term the changelist finds it by


def all_makers() -> dict[type, Maker]:
    makers: dict[type, Maker] = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.makers")
        except ModuleNotFoundError:
            continue
        makers.update(module.MAKERS)
    return makers
