"""The outbox: queue a message with the event that causes it; send each row exactly once."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from appointments.models import OutboundSMS
from appointments.sms import get_backend
from core.ratelimit import give_back_attached

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def sms_queue(
    *, to: str, body: str, language: str, dedupe_key: str, send_after: datetime | None = None
) -> OutboundSMS:
    """Writes the row in the caller's transaction; sending starts once that commits."""
    sms, created = OutboundSMS.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={"to": to, "body": body, "language": language, "send_after": send_after},
    )
    if created and send_after is None:
        transaction.on_commit(lambda: _enqueue(sms.pk))
    return sms


def _enqueue(sms_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task("appointments.tasks.sms_send", sms_id, task_name=f"sms-{sms_id}")
    except Exception:  # the broker is down: the periodic sweep sends it later
        logger.exception("could not enqueue SMS %s; the sweep will send it", sms_id)


def sms_send(*, sms_id: int, now: datetime | None = None) -> str:
    """Sends one queued row. The conditional update claims it, so no row goes out twice."""
    now = now or timezone.now()
    claimed = (
        OutboundSMS.objects.filter(pk=sms_id, status=OutboundSMS.Status.QUEUED)
        .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
        .update(status=OutboundSMS.Status.SENDING, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    sms = OutboundSMS.objects.get(pk=sms_id)
    backend = get_backend()
    try:
        result = backend.send(to=sms.to, body=sms.body)
    except Exception as exc:
        failed = sms.attempts >= MAX_ATTEMPTS
        sms.status = OutboundSMS.Status.FAILED if failed else OutboundSMS.Status.QUEUED
        sms.last_error = f"{type(exc).__name__}: {exc}"[:300]
        sms.backend = backend.name
        sms.save(update_fields=["status", "last_error", "backend"])
        logger.warning("SMS %s not sent (attempt %s): %s", sms.pk, sms.attempts, sms.last_error)
        if failed:  # never sent: the budgets it was counted against get it back
            give_back_attached(sms.dedupe_key)
        return sms.status
    sms.status, sms.provider_id = OutboundSMS.Status.SENT, result.provider_id
    sms.backend, sms.sent_at, sms.last_error = backend.name, timezone.now(), ""
    sms.save(update_fields=["status", "provider_id", "backend", "sent_at", "last_error"])
    return sms.status


def sms_send_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The sweep: sends queued rows that are due (retries, delayed reminders, lost enqueues)."""
    now = now or timezone.now()
    due = (
        OutboundSMS.objects.filter(status=OutboundSMS.Status.QUEUED)
        .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
        .values_list("pk", flat=True)[:limit]
    )
    return sum(sms_send(sms_id=pk, now=now) == OutboundSMS.Status.SENT for pk in list(due))
