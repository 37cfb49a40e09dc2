"""Keep personal data no longer than the visit needs."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment, OutboundSMS, PhoneChallenge, WaitlistEntry
from appointments.models.waitlist import OPEN_WAITLIST_STATUSES

REDACTED = ""


def personal_data_forget(*, now: datetime | None = None) -> dict[str, int]:
    """Blanks phone, name and reason of visits, SMS and waiting-list entries past the period,
    and deletes phone checks a day after their code ran out.

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
        messages = (
            OutboundSMS.objects.filter(created_at__lt=cutoff)
            .exclude(status__in=[OutboundSMS.Status.QUEUED, OutboundSMS.Status.SENDING])
            .exclude(to=REDACTED)
            .update(to=REDACTED, body=REDACTED)
        )
        waiting = (
            WaitlistEntry.objects.filter(created_at__lt=cutoff)
            .exclude(status__in=OPEN_WAITLIST_STATUSES)
            .delete()[0]
        )
        challenges = PhoneChallenge.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()[
            0
        ]
    return {
        "appointments": visits,
        "sms": messages,
        "waitlist": waiting,
        "phone_checks": challenges,
    }
