"""The waiting list: when a place frees, the first in line is offered it by SMS."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import selectors, texts, tokens
from appointments.models import Appointment, Offering, WaitlistEntry
from appointments.services.errors import NotChangeable, SlotTaken, TooManyAttempts
from appointments.services.rules import code_attempt, phone_limits_check
from appointments.services.seats import appointment_access_token, live_hold_lock, seat_take
from appointments.services.sms import sms_queue


def waitlist_join(
    *, offering: Offering, phone: str, language: str, now: datetime | None = None
) -> WaitlistEntry:
    """A pending place on the list and an SMS code to confirm the number (callers rate-limit).

    Every number gets the same answer, whether it is on the list already or not.
    """
    now = now or timezone.now()
    code = tokens.sms_code()
    with transaction.atomic():
        entry = WaitlistEntry.objects.create(
            offering=offering,
            phone=phone,
            language=language,
            code_hash=tokens.token_hash(code),
            code_expires_at=now + timedelta(minutes=settings.SPORTELLO["CODE_TTL_MINUTES"]),
        )
        sms_queue(
            to=phone,
            language=language,
            dedupe_key=f"waitlist:{entry.pk}:code",
            body=texts.verification_text(code=code, language=language),
        )
    return entry


def waitlist_confirm(
    *, entry: WaitlistEntry, code: str, now: datetime | None = None
) -> WaitlistEntry:
    """The SMS code proves the number: the entry joins the line (or keeps its first place)."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != WaitlistEntry.Status.PENDING:
            raise TooManyAttempts()
        refusal = code_attempt(record=entry, code=code, expires_at=entry.code_expires_at, now=now)
        if refusal is None:
            return _enter_line(entry)
    raise refusal  # after the block, so that the counted try is kept


def _enter_line(entry: WaitlistEntry) -> WaitlistEntry:
    open_statuses = [WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
    existing = WaitlistEntry.objects.filter(
        offering=entry.offering, phone=entry.phone, status__in=open_statuses
    ).first()
    entry.code_hash = ""
    if existing:
        entry.status = WaitlistEntry.Status.DONE
        entry.save(update_fields=["status", "code_hash"])
        return existing
    entry.status = WaitlistEntry.Status.WAITING
    try:
        with transaction.atomic():
            entry.save(update_fields=["status", "code_hash"])
    except IntegrityError:  # confirmed twice at the same moment
        return WaitlistEntry.objects.get(
            offering=entry.offering, phone=entry.phone, status__in=open_statuses
        )
    return entry


def waitlist_offer_next(*, offering: Offering, now: datetime | None = None) -> WaitlistEntry | None:
    """Holds the first free slot for the first person waiting, and tells them by SMS."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = (
            WaitlistEntry.objects.select_for_update()
            .filter(offering=offering, status=WaitlistEntry.Status.WAITING)
            .first()
        )
        if entry is None:
            return None
        slots = selectors.offering_slots(offering=offering, now=now)
        if not slots:
            return None
        minutes = settings.SPORTELLO["WAITLIST_OFFER_MINUTES"]
        try:
            appointment = seat_take(
                offering=offering,
                start=slots[0].start,
                now=now,
                status=Appointment.Status.HELD,
                hold_expires_at=now + timedelta(minutes=minutes),
                phone=entry.phone,
                language=entry.language,
            )
        except SlotTaken:
            return None
        token = appointment_access_token(appointment=appointment)
        entry.status, entry.offered = WaitlistEntry.Status.OFFERED, appointment
        entry.save(update_fields=["status", "offered"])
        sms_queue(
            to=entry.phone,
            language=entry.language,
            dedupe_key=f"waitlist:{entry.pk}:offer",
            body=texts.waitlist_offer_text(appointment=appointment, token=token, minutes=minutes),
        )
        return entry


def waitlist_accept(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """The person took the offered place: the hold becomes a booking."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = live_hold_lock(appointment=appointment, now=now)
        if not WaitlistEntry.objects.filter(
            offered=appointment, status=WaitlistEntry.Status.OFFERED
        ).exists():
            raise NotChangeable()  # only a waiting-list offer is taken without an SMS code
        phone_limits_check(
            offering=appointment.offering,
            phone=appointment.phone,
            now=now,
            exclude_pk=appointment.pk,
        )
        appointment.mark_booked()
        appointment.save(update_fields=["status", "hold_expires_at", "updated_at"])
        WaitlistEntry.objects.filter(offered=appointment).update(status=WaitlistEntry.Status.DONE)
    return appointment


def waitlist_sweep(*, now: datetime | None = None) -> int:
    """Periodic: expired offers go back to the end of the line's history; free places are offered."""
    now = now or timezone.now()
    WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.OFFERED, offered__status=Appointment.Status.CANCELLED
    ).update(status=WaitlistEntry.Status.DONE)
    offered = 0
    for offering in (
        Offering.objects.bookable()
        .filter(waitlist__status=WaitlistEntry.Status.WAITING)
        .select_related("desk")
        .distinct()
    ):
        offered += waitlist_offer_next(offering=offering, now=now) is not None
    return offered
