"""Per-number booking limits, shared by every path that confirms a booking."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import connection

from appointments.models import Appointment, Offering
from appointments.services.errors import AlreadyBookedService, TooManyBookings


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
