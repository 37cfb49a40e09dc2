"""Holding, confirming, booking on behalf, cancelling and moving appointments.

Capacity is enforced by the database: see ``appointments.services.seats``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appointments import selectors, texts, tokens
from appointments.models import Appointment, Offering, PhoneVerification
from appointments.services.errors import (
    BookingError,
    NotChangeable,
    SlotUnavailable,
)
from appointments.services.rules import code_attempt, phone_limits_check
from appointments.services.seats import (
    appointment_access_token,
    live_hold_lock,
    seat_move,
    seat_take,
)
from appointments.services.sms import sms_queue
from appointments.services.waitlist import waitlist_offer_next


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


def appointment_hold(
    *, offering: Offering, start: datetime, person: Person, now: datetime | None = None
) -> Appointment:
    """Holds a seat for 10 minutes and sends a 6-digit code to the phone."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = _seat_for(
            offering=offering,
            start=start,
            person=person,
            now=now,
            hold_expires_at=now + timedelta(minutes=_rules()["HOLD_MINUTES"]),
        )
        code = tokens.sms_code()
        PhoneVerification.objects.create(
            appointment=appointment,
            code_hash=tokens.token_hash(code),
            expires_at=now + timedelta(minutes=_rules()["CODE_TTL_MINUTES"]),
        )
        sms_queue(
            to=person.phone,
            language=person.language,
            dedupe_key=f"appt:{appointment.pk}:code:1",
            body=texts.verification_text(code=code, language=person.language),
        )
    return appointment


def appointment_resend_code(*, appointment: Appointment, now: datetime | None = None) -> None:
    """A new code for a hold that is still valid (callers rate-limit this)."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = live_hold_lock(appointment=appointment, now=now)
        verification = appointment.verification
        code = tokens.sms_code()
        verification.code_hash, verification.attempts = tokens.token_hash(code), 0
        verification.sends += 1
        verification.expires_at = min(
            now + timedelta(minutes=_rules()["CODE_TTL_MINUTES"]), appointment.hold_expires_at
        )
        verification.save()
        sms_queue(
            to=appointment.phone,
            language=appointment.language,
            dedupe_key=f"appt:{appointment.pk}:code:{verification.sends}",
            body=texts.verification_text(code=code, language=appointment.language),
        )


def _confirm(appointment: Appointment) -> str:
    """Marks booked, issues the manage token and queues the confirmation SMS."""
    appointment.mark_booked()
    appointment.save(update_fields=["status", "hold_expires_at", "updated_at"])
    token = appointment_access_token(appointment=appointment)
    if appointment.phone:
        sms_queue(
            to=appointment.phone,
            language=appointment.language,
            dedupe_key=f"appt:{appointment.pk}:confirmed",
            body=texts.confirmation_text(appointment=appointment, token=token),
        )
    return token


def appointment_verify(*, appointment: Appointment, code: str, now: datetime | None = None) -> str:
    """Checks the SMS code; on success the hold becomes a booking. Returns the manage token."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = live_hold_lock(appointment=appointment, now=now)
        verification = appointment.verification
        refusal = code_attempt(
            record=verification, code=code, expires_at=verification.expires_at, now=now
        )
        if refusal is None:
            refusal = _limits_refusal(appointment=appointment, now=now)
            if refusal is None:
                return _confirm(appointment)
            # The number is proven but over its limits: release the seat, then say why.
            appointment.mark_cancelled()
            appointment.save(update_fields=["status", "updated_at"])
    raise refusal  # after the block, so that a counted try or a released seat is kept


def _limits_refusal(*, appointment: Appointment, now: datetime) -> BookingError | None:
    try:
        phone_limits_check(
            offering=appointment.offering,
            phone=appointment.phone,
            now=now,
            exclude_pk=appointment.pk,
        )
    except BookingError as exc:
        return exc
    return None


def appointment_book_on_behalf(
    *, offering: Offering, start: datetime, person: Person, booked_by, now: datetime | None = None
) -> tuple[Appointment, str]:
    """An operator or partner books for someone: same rules, no SMS code, who booked recorded."""
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
        )
        return appointment, _confirm(appointment)


def appointment_cancel(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """Cancels an active booking, tells the person, and offers the place to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status not in (Appointment.Status.BOOKED, Appointment.Status.HELD):
            raise NotChangeable()
        if appointment.start <= now:  # a visit that began is checked in, served or missed
            raise NotChangeable()
        was_booked = appointment.status == Appointment.Status.BOOKED
        appointment.mark_cancelled()
        appointment.save(update_fields=["status", "updated_at"])
        if was_booked and appointment.phone:
            sms_queue(
                to=appointment.phone,
                language=appointment.language,
                dedupe_key=f"appt:{appointment.pk}:cancelled",
                body=texts.cancelled_text(appointment=appointment),
            )
        if was_booked:
            waitlist_offer_next(offering=appointment.offering, now=now)
    return appointment


def appointment_reschedule(
    *, appointment: Appointment, start: datetime, now: datetime | None = None
) -> Appointment:
    """Moves a booking to another free time of the same offering, keeping its code."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status != Appointment.Status.BOOKED or appointment.start <= now:
            raise NotChangeable()
        offering = appointment.offering
        _check_slot(offering=offering, start=start, now=now)
        seat_move(appointment=appointment, start=start, now=now)
        appointment.refresh_from_db()
        if appointment.phone:
            sms_queue(
                to=appointment.phone,
                language=appointment.language,
                # One message per move, even back to a time it had before.
                dedupe_key=f"appt:{appointment.pk}:moved:{appointment.updated_at.isoformat()}",
                body=texts.moved_text(appointment=appointment),
            )
        waitlist_offer_next(offering=offering, now=now)
    return appointment


def holds_expire(*, now: datetime | None = None) -> int:
    """Releases every hold whose 10 minutes are over (the periodic task)."""
    return Appointment.objects.stale_holds(now or timezone.now()).update(
        status=Appointment.Status.CANCELLED
    )
