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


def number_forget_bookings(*, phone: str, by=None, now: datetime | None = None) -> dict[str, int]:
    """A person's bookings and waiting-list places, forgotten at their request.

    The person leaves every waiting list, holds are given up, coming bookings are
    cancelled (the place goes to the next in line); then every booking of the number loses
    its number, name and reason (the rows stay, without them, for the desk's figures), the
    waiting-list entries go, and messaging forgets the number (texts, phone checks).
    """
    from appointments.services.booking import appointment_cancel
    from appointments.services.waitlist import waitlist_leave
    from messaging.retention import number_forget

    now = now or timezone.now()
    with transaction.atomic():
        # Off the waiting lists first, so that a place the cancellations free is not offered
        # back to the same person.
        for entry in WaitlistEntry.objects.filter(phone=phone, status__in=OPEN_WAITLIST_STATUSES):
            waitlist_leave(entry=entry, now=now)
        mine = Appointment.objects.filter(phone=phone)
        for appointment in mine.filter(status=Appointment.Status.HELD):
            appointment.release(now=now)
        for appointment in mine.filter(status=Appointment.Status.CONFIRMED, start__gt=now):
            appointment_cancel(appointment=appointment, by=by, now=now)
        bookings = mine.update(phone=REDACTED, name=REDACTED, reason=REDACTED)
        waiting = WaitlistEntry.objects.filter(phone=phone).delete()[0]
        messaging = number_forget(phone, now=now)
    return {"bookings": bookings, "waitlist": waiting, **messaging}
