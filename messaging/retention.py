"""Messaging keeps personal data no longer than needed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from messaging.models import FINAL_STATUSES, Message, MessageStatus, PhoneChallenge

REDACTED = ""
# A message that reached "sent" but never heard back keeps its sealed secrets this long
# (for the one retry after "phone off"); then they go, whatever comes.
SECRETS_AFTER_SENT = timedelta(days=2)


def messages_forget(*, now: datetime) -> dict[str, int]:
    """Blanks the number of final messages past the retention period, the secrets of
    messages that will not be sent again, and deletes phone checks a day after their code
    ran out. Rows stay (kind, status, times) so a desk can see what went out."""
    cutoff = now - timedelta(days=settings.SPORTELLO["RETENTION_DAYS"])
    numbers = (
        Message.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[MessageStatus.CREATED, MessageStatus.SENDING])
        .exclude(to=REDACTED)
        .update(to=REDACTED, params={}, secrets="")
    )
    secrets = (
        Message.objects.exclude(secrets="")
        .filter(
            Q(status__in=FINAL_STATUSES)
            | Q(status=MessageStatus.SENT, sent_at__lt=now - SECRETS_AFTER_SENT)
        )
        .update(secrets="")
    )
    challenges = PhoneChallenge.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()[0]
    return {"sms": numbers, "sealed": secrets, "phone_checks": challenges}


def number_forget(phone: str, *, now: datetime) -> dict[str, int]:
    """Everything messaging holds about one number, at the person's request: texts not yet
    sent are cancelled, every text to it loses its number, parameters and secrets, and its
    phone checks go. An opt-out stays (a keyed hash), so the number stays opted out."""
    pending = Message.objects.filter(to=phone).exclude(status__in=FINAL_STATUSES)
    cancelled = pending.update(
        status=MessageStatus.CANCELLED, final_at=now, last_error="erased at the person's request"
    )
    texts = Message.objects.filter(to=phone).update(to=REDACTED, params={}, secrets="")
    challenges = PhoneChallenge.objects.filter(phone=phone).delete()[0]
    return {"texts": texts, "texts_cancelled": cancelled, "phone_checks": challenges}
