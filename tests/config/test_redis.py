"""REDIS_URL switches the cache and the django-q2 broker to Redis, and /healthz checks it."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django_q.brokers import get_broker
try:
    cache.set("sportello-probe", 1, 5)
except Exception:
    pass
r = Client().get("/healthz")
print(json.dumps({"cache": settings.CACHES["default"]["BACKEND"], "broker": type(get_broker()).__name__,
                  "probe": cache.get("sportello-probe") if r.status_code == 200 else None, "status": r.status_code, "body": r.json()}))
"""


def _run(redis_url: str) -> dict:
    environ = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    environ.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_redis_url_moves_cache_and_broker_to_redis():
    if not _redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    out = _run("redis://127.0.0.1:6379/15")
    assert out["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert out["broker"] == "Redis"
    assert out["probe"] == 1
    assert out["status"] == 200 and out["body"]["broker"] == "ok"


def test_healthz_says_the_broker_is_down_when_redis_does_not_answer():
    out = _run("redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert out["status"] == 503
    assert out["body"]["database"] == "ok"
    assert out["body"]["broker"].startswith("down")
