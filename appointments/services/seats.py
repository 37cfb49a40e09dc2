"""Seats: how a booking takes a place in a slot. The database guarantees capacity.

Every active booking takes a numbered seat 1..capacity of its slot, and a partial unique
index lets each seat be taken once. Two people racing for the last seat both try to insert
it; the database lets exactly one through and the other gets SlotTaken.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from appointments import notifications, selectors
from appointments.models import AccessToken, Appointment, Offering
from appointments.services.errors import HoldExpired, SlotTaken
from core import tokens

CODE_CLASH = ("booking_code_unique_among_active", "appointments_appointment.code")


def _is_code_clash(exc: IntegrityError) -> bool:
    """PostgreSQL names the constraint, SQLite the column."""
    return any(marker in str(exc) for marker in CODE_CLASH)


def seats_free_stale(*, offering: Offering, start: datetime, now: datetime) -> None:
    Appointment.objects.filter(offering=offering, start=start).expire_stale(now=now)


def next_free_slots(*, offering: Offering, now: datetime, limit: int = 5):
    # Read after the failed insert's savepoint: shows what is really free now.
    return selectors.offering_slots(offering=offering, now=now)[:limit]


def free_seats(*, offering: Offering, start: datetime, now: datetime) -> list[int]:
    """Seat numbers still free in a slot; none once the active bookings reach the capacity
    (also when the capacity was lowered below seats already taken)."""
    seats_free_stale(offering=offering, start=start, now=now)
    taken = set(
        Appointment.objects.active()
        .filter(offering=offering, start=start)
        .values_list("seat", flat=True)
    )
    if len(taken) >= offering.capacity:
        return []
    return [seat for seat in range(1, offering.capacity + 1) if seat not in taken]


def seat_take(*, offering: Offering, start: datetime, now: datetime, **fields) -> Appointment:
    """Inserts the appointment on the lowest free seat, or raises SlotTaken."""
    capacity = offering.capacity
    for seat in free_seats(offering=offering, start=start, now=now):
        for _attempt in range(5):  # a clash of booking codes is retried with a new code
            try:
                with transaction.atomic():
                    return Appointment.objects.create(
                        offering=offering,
                        start=start,
                        end=start + offering.duration,
                        seat=seat,
                        slot_capacity=capacity,
                        code=tokens.readable_code(),
                        **fields,
                    )
            except IntegrityError as exc:
                if not _is_code_clash(exc):
                    break  # somebody else took this seat first: try the next one
    raise SlotTaken(next_slots=next_free_slots(offering=offering, now=now))


def seat_move(*, appointment: Appointment, start: datetime, now: datetime) -> None:
    """Moves an appointment to the lowest free seat of another slot, or raises SlotTaken."""
    offering = appointment.offering
    for seat in free_seats(offering=offering, start=start, now=now):
        try:
            with transaction.atomic():
                Appointment.objects.filter(pk=appointment.pk).update(
                    start=start,
                    end=start + offering.duration,
                    seat=seat,
                    slot_capacity=offering.capacity,
                    updated_at=now,
                )
            return
        except IntegrityError:
            continue  # taken meanwhile: try the next seat
    raise SlotTaken(next_slots=next_free_slots(offering=offering, now=now))


def appointment_access_token(*, appointment: Appointment) -> str:
    """A new secret manage link for a booking (the person proved who they are)."""
    token = tokens.manage_token()
    AccessToken.objects.create(appointment=appointment, token_hash=tokens.token_hash(token))
    return token


def manage_links(*, appointments) -> list[tuple[Appointment, str]]:
    """A new manage link for each booking, for a person who has just proven the number."""
    return [(a, appointment_access_token(appointment=a)) for a in appointments]


def appointment_confirm(*, appointment: Appointment, now: datetime) -> str:
    """The hold becomes a booking: a manage link is issued and the confirmation SMS queued.

    The one way every path (SMS code, on behalf, waiting-list offer) confirms a booking.
    """
    appointment.confirm(now=now)
    token = appointment_access_token(appointment=appointment)
    notifications.notify_confirmed(appointment=appointment, token=token, now=now)
    return token


def live_hold_lock(*, appointment: Appointment, now: datetime) -> Appointment:
    """The held appointment, locked for update, or HoldExpired if its time is over."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.HELD or appointment.hold_expires_at <= now:
        raise HoldExpired()
    return appointment


def live_code_hold_lock(*, appointment: Appointment, now: datetime) -> Appointment:
    """``live_hold_lock`` for a hold confirmed by an SMS code (a hold made before phone
    challenges existed has none, and is treated as over)."""
    appointment = live_hold_lock(appointment=appointment, now=now)
    if appointment.challenge_id is None:
        raise HoldExpired()
    return appointment
