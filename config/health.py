"""``/healthz``: is the database reachable, is the task broker reachable."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        logger.warning("healthz: database down: %s", type(exc).__name__)
        return type(exc).__name__
    return None


def check_broker() -> str | None:
    from django_q.brokers import get_broker

    try:
        broker = get_broker()
        # ping() on the ORM broker always says yes; counting its queue asks the database.
        if not broker.ping():
            return "no answer"
        broker.queue_size()
    except Exception as exc:
        logger.warning("healthz: broker down: %s", type(exc).__name__)
        return type(exc).__name__
    return None


@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "broker": check_broker()}
    body = {name: ("ok" if error is None else f"down ({error})") for name, error in checks.items()}
    status = 200 if all(error is None for error in checks.values()) else 503
    body["status"] = "ok" if status == 200 else "down"
    return JsonResponse(body, status=status)
