"""The waiting list: when a place frees, the first in line is offered it by SMS."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import notifications, selectors
from appointments.models import Appointment, Offering, WaitlistEntry
from appointments.models.waitlist import OPEN_WAITLIST_STATUSES
from appointments.services.challenges import (
    challenge_is_live,
    challenge_issue,
    challenge_verify,
)
from appointments.services.errors import (
    NotChangeable,
    PlacesStillFree,
    SlotTaken,
    TooManyAttempts,
    WrongCode,
)
from appointments.services.rules import hold_over_limits, serialise
from appointments.services.seats import (
    appointment_access_token,
    appointment_confirm,
    live_hold_lock,
    seat_take,
)
from messaging.outbox import after_quiet_hours

# A place is offered only if it starts at least this long after the offer can be read, and
# the offer closes this long before the visit.
OFFER_LEAD = timedelta(minutes=45)
OFFER_CLOSES_BEFORE = timedelta(minutes=15)


def waitlist_join(
    *,
    offering: Offering,
    phone: str,
    language: str,
    mine: int | None = None,
    now: datetime | None = None,
) -> tuple[WaitlistEntry, bool]:
    """A pending place on the list and an SMS code to confirm the number (callers rate-limit).

    Offered only when nothing is free. Every number gets the same answer, whether it is on
    the list already or not; asking again while a code is still valid sends no new code.
    ``mine`` is the pending entry this browser asked for: only that one is handed back, so
    nobody who types a stranger's number can spend the tries of the stranger's code (they
    get an entry with no code, which no code confirms). Returns the pending entry and
    whether a code was sent now.
    """
    now = now or timezone.now()
    if selectors.offering_slots(offering=offering, now=now):
        raise PlacesStillFree()
    with transaction.atomic():
        serialise(f"waitlist-join:{offering.pk}:{phone}")
        pending = (
            WaitlistEntry.objects.filter(
                offering=offering, phone=phone, status=WaitlistEntry.Status.PENDING
            )
            .select_related("challenge")
            .order_by("-pk")
            .first()
        )
        if pending is not None and challenge_is_live(pending.challenge, now=now):
            if pending.pk == mine:
                return pending, False
            decoy = WaitlistEntry.objects.create(offering=offering, phone=phone, language=language)
            return decoy, False
        entry = WaitlistEntry.objects.create(
            offering=offering,
            phone=phone,
            language=language,
            challenge=challenge_issue(
                phone=phone, language=language, city=offering.desk.city.name, now=now
            ),
        )
        return entry, True


def waitlist_confirm(
    *, entry: WaitlistEntry, code: str, now: datetime | None = None
) -> WaitlistEntry:
    """The SMS code proves the number: the entry joins the line (or keeps its first place).

    Returns the entry that holds the number's place in line.
    """
    now = now or timezone.now()
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != WaitlistEntry.Status.PENDING:
            raise TooManyAttempts()
        if entry.challenge is None:  # asked while another browser's code was live
            raise WrongCode()
        refusal = challenge_verify(challenge=entry.challenge, code=code, now=now)
        if refusal is None:
            return _enter_line(entry, now=now)
    raise refusal  # after the block, so that the counted try is kept


def _enter_line(entry: WaitlistEntry, *, now: datetime) -> WaitlistEntry:
    existing = WaitlistEntry.objects.filter(
        offering=entry.offering, phone=entry.phone, status__in=OPEN_WAITLIST_STATUSES
    ).first()
    if existing:
        entry.mark_duplicate(now=now)
        return existing
    try:
        with transaction.atomic():
            entry.join(now=now)
    except IntegrityError:  # confirmed twice at the same moment
        entry.refresh_from_db()
        entry.mark_duplicate(now=now)
        return WaitlistEntry.objects.get(
            offering=entry.offering, phone=entry.phone, status__in=OPEN_WAITLIST_STATUSES
        )
    return entry


def waitlist_leave(*, entry: WaitlistEntry, now: datetime | None = None) -> None:
    """The person leaves the list; a place offered to them goes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status not in OPEN_WAITLIST_STATUSES:
            return
        offered = entry.offered if entry.status == WaitlistEntry.Status.OFFERED else None
        entry.leave(now=now)
        if offered is not None and offered.status == Appointment.Status.HELD:
            offered.release(now=now)
            waitlist_offer_next(offering=entry.offering, now=now)


def waitlist_offer_next(*, offering: Offering, now: datetime | None = None) -> WaitlistEntry | None:
    """Holds the first free slot for the first person waiting, and tells them by SMS."""
    now = now or timezone.now()
    with transaction.atomic():
        serialise(f"waitlist-offer:{offering.pk}")
        entry = WaitlistEntry.objects.filter(
            offering=offering, status=WaitlistEntry.Status.WAITING
        ).first()
        if entry is None:
            return None
        # An offer made at night is texted at 08:00, and its time to answer starts then;
        # the place offered is one the person can still reach after hearing of it.
        starts = after_quiet_hours(now, offering.desk.time_zone)
        slots = [
            slot
            for slot in selectors.offering_slots(offering=offering, now=now)
            if slot.start >= starts + OFFER_LEAD
        ]
        if not slots:
            return None
        answer_by = min(
            starts + timedelta(minutes=settings.SPORTELLO["WAITLIST_OFFER_MINUTES"]),
            slots[0].start - OFFER_CLOSES_BEFORE,
        )
        try:
            appointment = seat_take(
                offering=offering,
                start=slots[0].start,
                now=now,
                status=Appointment.Status.HELD,
                hold_expires_at=answer_by,
                phone=entry.phone,
                language=entry.language,
            )
        except SlotTaken:
            return None
        token = appointment_access_token(appointment=appointment)
        entry.offer(appointment=appointment, now=now)
        notifications.notify_offer(appointment=appointment, token=token, now=now)
        return entry


def _offer_of(appointment: Appointment) -> WaitlistEntry:
    entry = (
        WaitlistEntry.objects.select_for_update()
        .filter(offered=appointment, status=WaitlistEntry.Status.OFFERED)
        .first()
    )
    if entry is None:
        raise NotChangeable()  # only a waiting-list offer is taken without an SMS code
    return entry


def waitlist_accept(*, appointment: Appointment, now: datetime | None = None) -> str:
    """The person took the offered place: the hold becomes a booking, confirmed by SMS.

    Returns the new manage token (the one in the confirmation SMS). A number already at its
    limits cannot take it: the place goes to the next in line, and the refusal links to the
    bookings in the way (the SMS link proves the number).
    """
    now = now or timezone.now()
    with transaction.atomic():
        appointment = live_hold_lock(appointment=appointment, now=now)
        entry = _offer_of(appointment)
        refusal = hold_over_limits(appointment=appointment, now=now)
        if refusal is None:
            token = appointment_confirm(appointment=appointment, now=now)
            entry.accept(now=now)
            return token
        entry.decline(now=now)
        waitlist_offer_next(offering=appointment.offering, now=now)
    raise refusal  # after the block, so that the place passed on is kept


def waitlist_decline(*, appointment: Appointment, now: datetime | None = None) -> None:
    """The person does not want the offered place: it goes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = live_hold_lock(appointment=appointment, now=now)
        entry = _offer_of(appointment)
        entry.decline(now=now)
        appointment.release(now=now)
        waitlist_offer_next(offering=appointment.offering, now=now)


def waitlist_sweep(*, now: datetime | None = None) -> int:
    """Periodic: offers nobody answered in time end; freed places are offered to the next."""
    now = now or timezone.now()
    for entry in WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.OFFERED, offered__status=Appointment.Status.EXPIRED
    ):
        entry.offer_expired(now=now)
    offered = 0
    for offering in (
        Offering.objects.bookable()
        .filter(waitlist__status=WaitlistEntry.Status.WAITING)
        .select_related("desk")
        .distinct()
    ):
        offered += waitlist_offer_next(offering=offering, now=now) is not None
    return offered
