import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import database_config, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7$k2!pQ9zR4mW8nB3vL6tY1cF5hJ0dS-gA2eU7iO9pK4jM3wN8qZ6rT1yX5bV0",
    "SURVEY_KEY": "Qm4!vT9rL2xK7pW3nB8cF6hJ1dS5gA0eU2iO7kM4jN9qZ3rT8yX1bV6wE5uY0oP",
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "db-check.sqlite3"),
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "SURVEY_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = _manage("check", env={**PROD_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_unknown_database_scheme_stops_start_up_with_a_clear_message():
    result = _manage("check", env={"DATABASE_URL": "mongodb://localhost/portal"})
    assert result.returncode != 0
    assert "DATABASE_URL scheme 'mongodb' is not supported" in result.stderr


def test_database_url_parses_postgres_and_sqlite():
    pg = database_config("postgres://postgres@127.0.0.1:5432/portal")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert pg["NAME"] == "portal"
    assert database_config("sqlite:////tmp/x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_bad_boolean_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG")


def test_bad_integer_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_debug_accepts_usual_spellings(monkeypatch):
    for raw, expected in [("True", True), ("0", False), ("off", False), ("YES", True)]:
        monkeypatch.setenv("SOME_FLAG", raw)
        assert env_bool("SOME_FLAG") is expected
