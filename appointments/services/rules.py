"""Rules shared by every path that confirms a number: SMS code tries, per-number limits."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import connection

from appointments import tokens
from appointments.models import Appointment, Offering
from appointments.services.errors import (
    AlreadyBookedService,
    BookingError,
    TooManyAttempts,
    TooManyBookings,
    WrongCode,
)


def code_attempt(*, record, code: str, expires_at: datetime, now: datetime) -> BookingError | None:
    """None when the SMS code is right and in time. Otherwise the try is counted on
    ``record`` (saved now, so that it commits with the caller's transaction before the
    caller raises) and the refusal to raise is returned."""
    max_attempts = settings.SPORTELLO["CODE_MAX_ATTEMPTS"]
    if record.attempts >= max_attempts:
        return TooManyAttempts()
    if expires_at > now and tokens.codes_match(code, record.code_hash):
        return None
    record.attempts += 1
    record.save(update_fields=["attempts"])
    left = max_attempts - record.attempts
    return TooManyAttempts() if left <= 0 else WrongCode(attempts_left=left)


def _serialise_per_phone(phone: str) -> None:
    """Two confirmations for one number at the same moment must not both pass the count.

    PostgreSQL: a transaction-scoped advisory lock keyed on the number. SQLite needs none:
    its IMMEDIATE transactions already run one writer at a time.
    """
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(
        hashlib.blake2b(phone.encode(), digest_size=8).digest(), "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def phone_limits_check(*, offering: Offering, phone: str, now: datetime, exclude_pk=None) -> None:
    """Per-number limits, on confirmed bookings only.

    Called once the number is proven (after the SMS code, or by staff): checking before
    would tell anyone who types a number what that number has booked.
    """
    if not phone:
        return
    _serialise_per_phone(phone)
    mine = (
        Appointment.objects.upcoming(now)
        .filter(status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN])
        .filter(phone=phone)
        .exclude(pk=exclude_pk)
    )
    if mine.count() >= settings.SPORTELLO["MAX_ACTIVE_BOOKINGS_PER_PHONE"]:
        raise TooManyBookings()
    if (
        settings.SPORTELLO["ONE_BOOKING_PER_SERVICE"]
        and mine.filter(offering__service_id=offering.service_id).exists()
    ):
        raise AlreadyBookedService()
