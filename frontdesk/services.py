"""The day at the desk: issuing tickets (walk-ins, booked visitors checking in), calling
the next one, and everything an operator does with a ticket until the day ends.

Every write runs in a transaction; numbering and call-next take the locking helper, so two
counters calling at the same moment never get the same ticket.
"""

from __future__ import annotations

import logging
import string
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Max, Value, When
from django.utils import timezone

from appointments.models import Appointment, Desk, Offering
from core.locking import lock_objects
from core.versions import version_bump_on_commit, version_read
from frontdesk.models import (
    OPEN_TICKET_STATUSES,
    Counter,
    InvalidTicketMove,
    Queue,
    Ticket,
    TicketStatus,
)

logger = logging.getLogger(__name__)


class FrontDeskError(Exception):
    """A refusal the operator reads."""


class QuotaReached(FrontDeskError):
    pass


class NotToday(FrontDeskError):
    pass


class CounterBusy(FrontDeskError):
    pass


def rules() -> dict:
    return settings.SPORTELLO["FRONTDESK"]


VERSION_KEY = "frontdesk:desk:{}:version"


def desk_version(desk_id: int) -> int | None:
    """A number that changes whenever the desk's tickets do: the console's cheap ETag.
    None when the cache cannot say (then nothing is ever "not modified")."""
    try:
        return version_read(VERSION_KEY.format(desk_id))
    except Exception:  # noqa: BLE001 (a cache that is down must not stop the desk)
        return None


def ticket_saved(sender, instance, raw=False, **kwargs) -> None:
    """Every ticket written, however (a service, the day's end, the admin): its desk's
    consoles learn that something changed."""
    if not raw:
        _changed(instance.queue.desk_id)


def _changed(desk_id: int) -> None:
    """After the transaction commits (a refresh in between would see the old tickets under
    the new number), the desk's consoles see that something changed."""
    version_bump_on_commit(
        VERSION_KEY.format(desk_id),
        # Consoles then refresh every minute anyway.
        on_error=lambda: logger.warning("could not mark desk %s as changed", desk_id),
    )


def desk_day(desk: Desk, now: datetime) -> date:
    """Today on the desk's clock."""
    return now.astimezone(ZoneInfo(desk.time_zone)).date()


# --- Queues ----------------------------------------------------------------------------


def queue_for(offering: Offering) -> Queue:
    """The desk's queue for the offering's service, made with the next free letter."""
    queue = Queue.objects.filter(desk=offering.desk_id, service=offering.service_id).first()
    if queue is not None:
        return queue
    with transaction.atomic():
        lock_objects([f"queues:{offering.desk_id}"])
        taken = set(Queue.objects.filter(desk=offering.desk_id).values_list("letter", flat=True))
        letter = next(ch for ch in string.ascii_uppercase if ch not in taken)
        queue, _created = Queue.objects.get_or_create(
            desk_id=offering.desk_id, service_id=offering.service_id, defaults={"letter": letter}
        )
    return queue


# --- Issuing tickets ---------------------------------------------------------------------


def _number(queue: Queue, day: date) -> int:
    """The next number of a queue today (called under the queue's lock)."""
    lock_objects([f"ticket-number:{queue.pk}:{day.isoformat()}"])
    last = Ticket.objects.filter(queue=queue, day=day).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def walk_in_issue(
    *,
    queue: Queue,
    now: datetime | None = None,
    phone: str = "",
    language: str = "",
    priority: bool = False,
    by=None,
) -> Ticket:
    now = now or timezone.now()
    day = desk_day(queue.desk, now)
    with transaction.atomic():
        number = _number(queue, day)
        walk_ins = Ticket.objects.filter(
            queue=queue, day=day, source=Ticket.Source.WALK_IN, transferred_from=None
        ).count()
        if walk_ins >= queue.walk_in_quota:
            raise QuotaReached()
        return Ticket.objects.create(
            queue=queue,
            day=day,
            number=number,
            source=Ticket.Source.WALK_IN,
            ready_at=now,
            arrived_at=now,
            issued_at=now,
            priority=priority,
            phone=phone,
            language=language,
            issued_by=by,
        )


def check_in(*, appointment: Appointment, now: datetime | None = None, by=None) -> Ticket:
    """Today's booked visitor arrives: the booking is checked in and becomes a ticket. They
    wait for their booked time, then go first; more than LATE_MINUTES late, they queue as a
    walk-in would."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("offering__desk")
            .get(pk=appointment.pk)
        )
        desk = appointment.offering.desk
        if desk_day(desk, appointment.start) != desk_day(desk, now):
            raise NotToday()
        appointment.check_in(now=now, by=by)
        queue = queue_for(appointment.offering)
        late = now > appointment.start + timedelta(minutes=rules()["LATE_MINUTES"])
        return Ticket.objects.create(
            queue=queue,
            day=desk_day(desk, now),
            number=_number(queue, desk_day(desk, now)),
            source=Ticket.Source.BOOKED,
            appointment=appointment,
            ready_at=now if late else max(now, appointment.start),
            arrived_at=now,
            issued_at=now,
            booked_on_time=not late,
            interpreter_language=appointment.interpreter_language,
            # No phone: the "turn near" text is for walk-ins; a booked visitor has a time.
            language=appointment.language,
            issued_by=by,
        )


# --- Calling -----------------------------------------------------------------------------

# Booked visitors who came in time first (once their time has come), then those the
# operator flagged for priority, then everyone else by arrival.
CALL_ORDER = (
    Case(
        When(booked_on_time=True, then=Value(0)),
        When(priority=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    ),
    "ready_at",
    "arrived_at",
    "pk",
)


def waiting_in(queues, *, day: date, now: datetime):
    """Who may be called now from these queues, first to call first."""
    return (
        Ticket.objects.filter(queue__in=queues, day=day, status=TicketStatus.WAITING)
        .filter(ready_at__lte=now)
        .order_by(*CALL_ORDER)
    )


def call_next(*, counter: Counter, now: datetime | None = None) -> Ticket | None:
    """The counter's next visitor, or None. Under the desk's lock: two counters calling at
    the same moment never get the same ticket."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_objects([f"call:{counter.desk_id}"])
        if Ticket.objects.filter(
            counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        ).exists():
            raise CounterBusy()
        ticket = (
            waiting_in(counter.queues.all(), day=desk_day(counter.desk, now), now=now)
            .select_related("queue")
            .first()
        )
        if ticket is None:
            return None
        ticket.move(TicketStatus.CALLED, now=now, counter=counter, calls=1)
        turn_near_notify(queues=[ticket.queue], day=ticket.day, now=now)
        return ticket


def call_out_of_order(
    *, counter: Counter, ticket: Ticket, by, now: datetime | None = None
) -> Ticket:
    """Calls one waiting ticket of the desk before its turn (the view checks the permission).
    Logged in Wagtail's history with who called it, from which counter, and how many people
    it passed over."""
    from wagtail.log_actions import log

    now = now or timezone.now()
    with transaction.atomic():
        lock_objects([f"call:{counter.desk_id}"])
        if Ticket.objects.filter(
            counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        ).exists():
            raise CounterBusy()
        ticket = _locked(ticket)
        if ticket.queue.desk_id != counter.desk_id or ticket.status != TicketStatus.WAITING:
            raise InvalidTicketMove("Only a waiting ticket of the counter's desk is called.")
        queues = {ticket.queue_id, *counter.queues.values_list("pk", flat=True)}
        line = list(waiting_in(queues, day=ticket.day, now=now).values_list("pk", flat=True))
        passed_over = line.index(ticket.pk) if ticket.pk in line else len(line)
        ticket.move(TicketStatus.CALLED, now=now, counter=counter, calls=1)
        log(
            instance=ticket,
            action=OUT_OF_ORDER_ACTION,
            user=by,
            data={"counter": counter.name, "passed_over": passed_over},
        )
        turn_near_notify(queues=[ticket.queue], day=ticket.day, now=now)
        return ticket


OUT_OF_ORDER_ACTION = "frontdesk.call_out_of_order"
STAFF_ADDED_ACTION = "frontdesk.staff_added"
STAFF_REMOVED_ACTION = "frontdesk.staff_removed"


def desk_staff_add(*, desk: Desk, user, by) -> None:
    """``user`` works at ``desk`` from now on (logged in the desk's history)."""
    from wagtail.log_actions import log

    desk.staff.add(user)
    log(instance=desk, action=STAFF_ADDED_ACTION, user=by, data={"username": user.get_username()})


def desk_staff_remove(*, desk: Desk, user, by) -> None:
    from wagtail.log_actions import log

    desk.staff.remove(user)
    log(instance=desk, action=STAFF_REMOVED_ACTION, user=by, data={"username": user.get_username()})


def _locked(ticket: Ticket) -> Ticket:
    """The ticket, locked (its booking is read alongside, not locked: its own transitions
    check themselves)."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("queue", "appointment")
        .get(pk=ticket.pk)
    )


def recall(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status != TicketStatus.CALLED:
            raise InvalidTicketMove("Only a called ticket is called again.")
        ticket.move(TicketStatus.CALLED, now=now, calls=ticket.calls + 1)
        return ticket


def no_show(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """After NO_SHOW_AFTER_CALLS calls nobody came: the ticket ends, and so does the visit."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.calls < rules()["NO_SHOW_AFTER_CALLS"]:
            raise InvalidTicketMove("Call the ticket a few times before marking a no-show.")
        ticket.move(TicketStatus.NO_SHOW, now=now)
        if ticket.appointment and ticket.appointment.status == Appointment.Status.CHECKED_IN:
            ticket.appointment.mark_no_show(now=now)
        return ticket


def start(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.move(TicketStatus.SERVING, now=now)
        return ticket


def finish(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.move(TicketStatus.DONE, now=now)
        if ticket.appointment and ticket.appointment.status == Appointment.Status.CHECKED_IN:
            ticket.appointment.mark_served(now=now)
        return ticket


def park(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Set aside (a document to fetch, an interpreter to wait for); resumed later."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.move(TicketStatus.PARKED, now=now, counter=None)
        return ticket


def resume(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.move(TicketStatus.WAITING, now=now)
        return ticket


def transfer(*, ticket: Ticket, to: Queue, now: datetime | None = None, by=None) -> Ticket:
    """To another queue of the same desk, keeping the first arrival time."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        if to.desk_id != ticket.queue.desk_id or to.pk == ticket.queue_id:
            raise InvalidTicketMove("A ticket moves to another queue of its own desk.")
        ticket.move(TicketStatus.TRANSFERRED, now=now)
        return Ticket.objects.create(
            queue=to,
            day=ticket.day,
            number=_number(to, ticket.day),
            source=ticket.source,
            appointment=ticket.appointment,
            ready_at=now,
            arrived_at=ticket.arrived_at,
            issued_at=now,
            booked_on_time=False,
            priority=ticket.priority,
            transferred_from=ticket,
            interpreter_language=ticket.interpreter_language,
            interpreter_joined=ticket.interpreter_joined,
            phone=ticket.phone,
            issued_by=by,
        )


def day_end(*, desk: Desk, now: datetime | None = None) -> int:
    """Tickets of the desk's past days still open are closed as not served, and so are their
    visits (they came: never a no-show); nothing is carried into tomorrow."""
    now = now or timezone.now()
    closed = 0
    with transaction.atomic():
        open_tickets = (
            Ticket.objects.select_for_update(of=("self",))
            .filter(queue__desk=desk, status__in=OPEN_TICKET_STATUSES)
            .filter(day__lt=desk_day(desk, now))
            .select_related("appointment")
        )
        for ticket in open_tickets:
            checked_in = (
                ticket.appointment is not None
                and ticket.appointment.status == Appointment.Status.CHECKED_IN
            )
            if ticket.status == TicketStatus.SERVING:  # seen, the ticket left open
                ticket.move(TicketStatus.DONE, now=now)
                if checked_in:
                    ticket.appointment.mark_served(now=now)
            else:
                ticket.move(TicketStatus.NOT_SERVED, now=now)
                if checked_in:
                    ticket.appointment.mark_not_served(now=now)
            closed += 1
    return closed


def days_end(*, now: datetime | None = None) -> int:
    """The periodic task: every desk's past days closed."""
    return sum(
        day_end(desk=desk, now=now) for desk in Desk.objects.filter(queues__isnull=False).distinct()
    )


def ticket_update(
    *,
    ticket: Ticket,
    priority: bool | None = None,
    note: str | None = None,
    interpreter_joined: bool | None = None,
) -> Ticket:
    """What the operator records on an open ticket: the priority flag (no reason kept),
    a short internal note (never shown publicly), that an interpreter or mediator joined."""
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status not in OPEN_TICKET_STATUSES:
            raise InvalidTicketMove("This ticket is closed.")
        changed = []
        for name, value in (
            ("priority", priority),
            ("note", None if note is None else note.strip()[:200]),
            ("interpreter_joined", interpreter_joined),
        ):
            if value is not None:
                setattr(ticket, name, value)
                changed.append(name)
        ticket.save(update_fields=changed)
        return ticket


# --- The waiting-room screen -----------------------------------------------------------


def display_renew(*, desk: Desk, now: datetime | None = None) -> str:
    """A new secret URL token for the desk's screen (shown once); the old one stops working."""
    from core import tokens
    from frontdesk.models import DisplayScreen

    token = tokens.manage_token()
    DisplayScreen.objects.update_or_create(
        desk=desk,
        defaults={"token_hash": tokens.token_hash(token), "renewed_at": now or timezone.now()},
    )
    return token


# --- "Your turn is near" -------------------------------------------------------------------


def turn_near_notify(*, queues, day: date, now: datetime | None = None) -> int:
    """Walk-ins with a phone who now have few people ahead get their text (once each), with
    a new link to their live position. Runs after every call."""
    from core import tokens
    from frontdesk import notifications

    now = now or timezone.now()
    limit = rules()["TURN_NEAR_AHEAD"]
    sent = 0
    for queue in queues:
        line = list(
            Ticket.objects.filter(queue=queue, day=day, status=TicketStatus.WAITING)
            .order_by(*CALL_ORDER)
            .only("pk", "phone", "position_token_hash", "language", "queue")[: limit + 1]
        )
        for ahead, ticket in enumerate(line):
            if not ticket.phone or ticket.position_token_hash:
                continue  # no phone (booked visitors have none here), or told already
            token = tokens.manage_token()
            with transaction.atomic():
                claimed = Ticket.objects.filter(pk=ticket.pk, position_token_hash="").update(
                    position_token_hash=tokens.token_hash(token)
                )
                if claimed:
                    ticket.queue = queue
                    notifications.notify_turn_near(ticket=ticket, token=token, ahead=ahead, now=now)
                    sent += 1
    return sent


def tickets_forget(*, now: datetime) -> int:
    """The number a walk-in left for a text, and the operator's note, are blanked
    ``TICKET_CONTACT_DAYS`` after the ticket's day, on the local calendar: with 1, a ticket
    of yesterday is blanked today (the ticket stays, for the figures)."""
    days = settings.SPORTELLO["TICKET_CONTACT_DAYS"]
    cutoff = timezone.localdate(now) - timedelta(days=days - 1)
    return (
        Ticket.objects.filter(day__lt=cutoff).exclude(phone="", note="").update(phone="", note="")
    )
