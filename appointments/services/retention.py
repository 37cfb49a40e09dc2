"""Keep personal data no longer than the visit needs."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment, WaitlistEntry
from appointments.models.waitlist import OPEN_WAITLIST_STATUSES
from messaging.retention import messages_forget

REDACTED = ""


def personal_data_forget(*, now: datetime | None = None) -> dict[str, int]:
    """Blanks phone, name and reason of visits past the period, deletes ended waiting-list
    entries, and has messaging forget its part (numbers, sealed secrets, phone checks).

    The booking itself stays (dates, status, offering) for the desk's statistics.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SPORTELLO["RETENTION_DAYS"])
    with transaction.atomic():
        visits = (
            Appointment.objects.filter(end__lt=cutoff)
            .exclude(phone=REDACTED, name=REDACTED, reason=REDACTED)
            .update(phone=REDACTED, name=REDACTED, reason=REDACTED)
        )
        waiting = (
            WaitlistEntry.objects.filter(created_at__lt=cutoff)
            .exclude(status__in=OPEN_WAITLIST_STATUSES)
            .delete()[0]
        )
        messaging = messages_forget(now=now)
    return {"appointments": visits, "waitlist": waiting, **messaging}
