"""Production settings refuse to start without their secrets and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import Env

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "x7#Qm2!vL9$pR4&tW8^zB1*eN6(kJ3)hG5_cF0+aD-yU" * 2,
    "ALLOWED_HOSTS": "sportello.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "SMS_BACKEND": "messaging.backends.ConsoleBackend",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "MESSAGE_KEYS": "Qp3zP0cS8Zr6x0yHk9w1D5G7u2b4n6m8A0c2e4g6i8k=",
    "DEVICE_KEYS": "Rk4aQ1dS9Zs7y1zIl0x2E6H8v3c5o7n9B1d3f5h7j9l=",
    "HASH_KEY": "a-long-random-value-kept-with-the-backups-0123456789",
}


def _run_production(extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environ.update(extra_env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SMS_BACKEND", "REDIS_URL"]
)
def test_production_refuses_to_start_without(missing):
    result = _run_production({k: v for k, v in GOOD.items() if k != missing}, "check")
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set in production" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = _run_production(GOOD, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_env_parses_types_and_names_the_bad_variable():
    env = Env({"A": "yes", "B": "12", "C": "a, b,,c", "D": "maybe"})
    assert env.bool("A") is True
    assert env.int("B") == 12
    assert env.list("C") == ["a", "b", "c"]
    assert env.str("MISSING", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="D must be a boolean"):
        env.bool("D")
    with pytest.raises(ImproperlyConfigured, match="MISSING"):
        env.required("MISSING")
