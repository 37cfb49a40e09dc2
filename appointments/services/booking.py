"""Holding, confirming, booking on behalf, cancelling and moving appointments.

Capacity is enforced by the database: see ``appointments.services.seats``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appointments import notifications, selectors
from appointments.models import Appointment, Offering
from appointments.services.challenges import challenge_issue, challenge_resend, challenge_verify
from appointments.services.errors import (
    Busy,
    ChangedMeanwhile,
    NotChangeable,
    SlotUnavailable,
    TooManyHolds,
)
from appointments.services.rules import hold_over_limits, phone_limits_check, serialise
from appointments.services.seats import (
    appointment_access_token,
    appointment_confirm,
    live_code_hold_lock,
    seat_move,
    seat_take,
)
from appointments.services.waitlist import waitlist_offer_next

logger = logging.getLogger(__name__)


def _rules() -> dict:
    return settings.SPORTELLO


@dataclass(frozen=True)
class Person:
    """Who the booking is for: the minimum needed to serve them."""

    phone: str
    language: str
    name: str = ""
    interpreter_language: str = ""
    reason: str = ""


def _check_slot(*, offering: Offering, start: datetime, now: datetime):
    slot = selectors.offering_slot(offering=offering, start=start, now=now)
    if slot is None:
        raise SlotUnavailable()
    return slot


def _seat_for(
    *, offering: Offering, start: datetime, person: Person, now: datetime, **fields
) -> Appointment:
    """The slot must be bookable; then a seat for the person (or SlotTaken)."""
    _check_slot(offering=offering, start=start, now=now)
    return seat_take(
        offering=offering,
        start=start,
        now=now,
        status=Appointment.Status.HELD,
        phone=person.phone,
        name=person.name,
        language=person.language,
        interpreter_language=person.interpreter_language,
        reason=person.reason,
        **fields,
    )


def _holds_per_client_check(*, client: str, now: datetime) -> None:
    """Holding is not hoarding: one address keeps a few live holds at most."""
    if not client:
        return
    serialise(f"holds:{client}")
    live = Appointment.objects.live_holds(now).filter(hold_client=client).count()
    if live >= _rules()["HOLDS_PER_CLIENT"]:
        raise TooManyHolds()


def appointment_hold(
    *,
    offering: Offering,
    start: datetime,
    person: Person,
    client: str = "",
    replacing: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Holds a seat for 10 minutes and sends a 6-digit code to the phone.

    ``client`` is a keyed hash of the client's network: it counts live holds per address.
    ``replacing`` is the hold this browser had: one browser holds one time, so it is released,
    in the same transaction, so that a refusal keeps it.
    """
    now = now or timezone.now()
    expires = now + timedelta(minutes=_rules()["HOLD_MINUTES"])
    with transaction.atomic():
        if replacing and (
            previous := Appointment.objects.select_for_update()
            .filter(pk=replacing, status=Appointment.Status.HELD)
            .first()
        ):
            previous.release(now=now)
        _holds_per_client_check(client=client, now=now)
        challenge = challenge_issue(
            phone=person.phone,
            language=person.language,
            city=offering.desk.city.name,
            now=now,
            not_after=expires,
        )
        return _seat_for(
            offering=offering,
            start=start,
            person=person,
            now=now,
            hold_expires_at=expires,
            hold_client=client,
            challenge=challenge,
        )


def appointment_resend_code(*, appointment: Appointment, now: datetime | None = None) -> None:
    """A new code for a hold that is still valid (callers rate-limit this)."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = live_code_hold_lock(appointment=appointment, now=now)
        challenge_resend(
            challenge=appointment.challenge,
            language=appointment.language,
            city=appointment.offering.desk.city.name,
            now=now,
            not_after=appointment.hold_expires_at,
        )


def appointment_verify(*, appointment: Appointment, code: str, now: datetime | None = None) -> str:
    """Checks the SMS code; on success the hold becomes a booking. Returns the manage token.

    If the proven number is over a per-number limit, the seat is released and the refusal
    carries links to the bookings in the way (the number is proven: they are its own).
    """
    now = now or timezone.now()
    with transaction.atomic():
        appointment = live_code_hold_lock(appointment=appointment, now=now)
        refusal = challenge_verify(challenge=appointment.challenge, code=code, now=now)
        if refusal is None:
            refusal = hold_over_limits(appointment=appointment, now=now)
            if refusal is None:
                return appointment_confirm(appointment=appointment, now=now)
    raise refusal  # after the block, so that a counted try or a released seat is kept


def appointment_book_on_behalf(
    *, offering: Offering, start: datetime, person: Person, booked_by, now: datetime | None = None
) -> tuple[Appointment, str]:
    """An operator or partner books for someone: same rules, no SMS code, who booked recorded
    (and, for a partner, the organisation it was booked for)."""
    now = now or timezone.now()
    with transaction.atomic():
        phone_limits_check(offering=offering, phone=person.phone, now=now)
        appointment = _seat_for(
            offering=offering,
            start=start,
            person=person,
            now=now,
            hold_expires_at=now,
            booked_by=booked_by,
            partner=selectors.partner_booking_for(user=booked_by, offering=offering),
        )
        return appointment, appointment_confirm(appointment=appointment, now=now)


def appointment_cancel(
    *, appointment: Appointment, by=None, now: datetime | None = None
) -> Appointment:
    """Cancels a booking, tells the person, and offers the place to the waiting list.

    ``by`` is the staff member who cancelled; empty when the person did it themselves.
    """
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status != Appointment.Status.CONFIRMED:
            raise NotChangeable()
        if appointment.start <= now:  # a visit that began is checked in, served or missed
            raise NotChangeable()
        appointment.cancel(now=now, by=by)
        notifications.notify_cancelled(appointment=appointment, by_desk=by is not None, now=now)
        _offer_freed_place(offering=appointment.offering, now=now)
    return appointment


def _offer_freed_place(*, offering: Offering, now: datetime) -> None:
    """Offers a freed place to the waiting list; when that is busy, the sweep offers it
    within minutes: a cancellation or a move never fails for it."""
    try:
        waitlist_offer_next(offering=offering, now=now)  # its own savepoint
    except Busy:
        logger.info("waiting-list offer for offering %s left to the sweep", offering.pk)


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: datetime,
    now: datetime | None = None,
    expected_start: datetime | None = None,
) -> Appointment:
    """Moves a booking to another free time of the same offering, keeping its code.

    ``expected_start``: the time the person moving it was shown (staff on the phone); if
    somebody moved it meanwhile, it is not moved again (ChangedMeanwhile).
    """
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if expected_start is not None and appointment.start != expected_start:
            raise ChangedMeanwhile()
        if appointment.status != Appointment.Status.CONFIRMED or appointment.start <= now:
            raise NotChangeable()
        offering = appointment.offering
        _check_slot(offering=offering, start=start, now=now)
        seat_move(appointment=appointment, start=start, now=now)
        appointment.refresh_from_db()
        if appointment.phone:
            notifications.notify_moved(
                appointment=appointment,
                token=appointment_access_token(appointment=appointment),
                now=now,
            )
        _offer_freed_place(offering=offering, now=now)
    return appointment


def holds_expire(*, now: datetime | None = None) -> int:
    """Every hold whose time is over becomes expired (the periodic task)."""
    return Appointment.objects.expire_stale(now=now or timezone.now())
