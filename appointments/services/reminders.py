"""Reminders: a periodic sweep over bookings that are due one, not texts queued in advance
(which go stale when a booking moves).

Each offering says whether to remind the day before (24 hours before) and how many hours
before (0: not). A reminder that would fall in the quiet hours goes the evening before, at
20:00 on the desk's clock. Its key includes the start, so a booking moved to another time
is reminded again; at send time the booking must still be at that time, confirmed, and
far enough ahead (``appointments.notifications``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from appointments import notifications
from appointments.models import AccessToken, Appointment
from core import tokens
from messaging.models import Message
from messaging.outbox import before_quiet_hours, messages_queue_many, sweep_soon

DAY_BEFORE = timedelta(hours=24)
CHUNK = 500
# The earliest a reminder can be due: 24 hours before, moved to 20:00 the evening before.
LOOK_AHEAD = DAY_BEFORE + timedelta(hours=13)


def reminder_moments(appointment: Appointment) -> list[tuple[str, datetime]]:
    """(which, when) for each reminder this booking gets, on the desk's clock."""
    offering, tz = appointment.offering, appointment.offering.desk.time_zone
    moments = []
    if offering.remind_day_before:
        moments.append(("day", before_quiet_hours(appointment.start - DAY_BEFORE, tz)))
    if offering.remind_hours_before:
        hours = timedelta(hours=offering.remind_hours_before)
        moments.append(("hours", before_quiet_hours(appointment.start - hours, tz)))
    return moments


def _due(appointment: Appointment, now: datetime) -> list[tuple[str, datetime]]:
    """The reminders due now: their moment has come, the booking was made before it, and
    no later reminder is also due (one text, not two at once)."""
    # When it was booked, or last changed (moved): a moment before that is no longer due.
    booked_at = max(appointment.confirmed_at or appointment.created_at, appointment.updated_at)
    due = [
        (which, when)
        for which, when in reminder_moments(appointment)
        if when <= now and booked_at < when
    ]
    return due[-1:]


def reminders_queue(*, now: datetime | None = None) -> int:
    """The sweep (every few minutes): queues each reminder that is due and not yet queued."""
    now = now or timezone.now()
    candidates = (
        Appointment.objects.filter(
            status=Appointment.Status.CONFIRMED,
            start__gt=now + notifications.REMINDER_TOO_LATE,
            start__lte=now + LOOK_AHEAD,
        )
        .exclude(phone="")
        .select_related("offering__desk")
        .order_by("start")
    )
    wanted = {}
    for appointment in candidates.iterator(chunk_size=500):
        for which, when in _due(appointment, now):
            wanted[notifications.reminder_key(appointment, which)] = (appointment, which, when)
    if not wanted:
        return 0
    queued = set(
        Message.objects.filter(dedupe_key__in=list(wanted)).values_list("dedupe_key", flat=True)
    )
    todo = [item for key, item in wanted.items() if key not in queued]
    count = 0
    for start in range(0, len(todo), CHUNK):
        with transaction.atomic():  # a link and a message for each, a chunk at a time
            chunk = todo[start : start + CHUNK]
            links = [tokens.manage_token() for _ in chunk]
            AccessToken.objects.bulk_create(
                AccessToken(appointment=appointment, token_hash=tokens.token_hash(link))
                for (appointment, _which, _when), link in zip(chunk, links, strict=True)
            )
            count += messages_queue_many(
                [
                    notifications.reminder_message(
                        appointment=appointment, which=which, token=link, due_at=when
                    )
                    for (appointment, which, when), link in zip(chunk, links, strict=True)
                ],
                now=now,
            )
    if count:
        transaction.on_commit(sweep_soon)
    return count
