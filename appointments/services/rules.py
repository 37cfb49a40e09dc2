"""The per-number limits, shared by every path that confirms a booking."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from appointments.models import Appointment, Offering
from appointments.services.errors import (
    AlreadyBookedService,
    Busy,
    OverPhoneLimit,
    TooManyBookings,
)
from appointments.services.seats import manage_links
from core.locking import LockTimeout, lock_objects


def serialise(*keys: str) -> None:
    """Takes the advisory locks of ``keys`` for the transaction, or Busy when another
    request holds them for longer than the lock timeout."""
    try:
        lock_objects(keys)
    except LockTimeout as exc:
        raise Busy() from exc


def phone_limits_check(*, offering: Offering, phone: str, now: datetime, exclude_pk=None) -> None:
    """Per-number limits, on confirmed bookings only.

    Called once the number is proven (after the SMS code, or by staff): checking before
    would tell anyone who types a number what that number has booked. Two confirmations
    for one number at the same moment are serialised, so both cannot pass the count.
    """
    if not phone:
        return
    serialise(f"phone:{phone}")
    mine = Appointment.objects.upcoming(now).booked().filter(phone=phone).exclude(pk=exclude_pk)
    mine = list(mine.select_related("offering"))
    if len(mine) >= settings.SPORTELLO["MAX_ACTIVE_BOOKINGS_PER_PHONE"]:
        raise TooManyBookings(existing=mine)
    same = [a for a in mine if a.offering.service_id == offering.service_id]
    if settings.SPORTELLO["ONE_BOOKING_PER_SERVICE"] and same:
        raise AlreadyBookedService(existing=same)


def hold_over_limits(*, appointment: Appointment, now: datetime) -> OverPhoneLimit | None:
    """For a hold whose number is proven: None when it may become a booking. Otherwise the
    hold is released and the refusal carries links to the bookings in the way (the number
    is proven: they are its own)."""
    try:
        phone_limits_check(
            offering=appointment.offering,
            phone=appointment.phone,
            now=now,
            exclude_pk=appointment.pk,
        )
    except OverPhoneLimit as over:
        appointment.release(now=now)
        over.links = manage_links(appointments=over.existing)
        return over
    return None
