"""``make bench-national``'s load test runs the portal under production settings: its
static files must be collected with those settings (a hashed manifest), or every page
answers 500 and the load test measures error pages."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

from django.conf import settings

from portal import national


def test_the_load_test_server_finds_its_static_files(tmp_path):
    environment = national.server_environment(8000)
    environment["SECRET_KEY"] = secrets.token_urlsafe(60)  # the tests' own key is refused in production
    environment["STATIC_ROOT"] = str(tmp_path)
    national.collect_static(environment)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "shell",
            "-c",
            "from django.templatetags.static import static; print(static('css/portal.css'))",
        ],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"css/portal\.[0-9a-f]{12}\.css", result.stdout), result.stdout
