"""What the console shows: only the desks the operator works at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q
from django.http import Http404

from appointments.models import Appointment, Desk
from appointments.models.booking import BOOKED_STATUSES
from frontdesk.models import Counter, Queue, Ticket, TicketStatus


def staff_desks(user):
    desks = Desk.objects.filter(is_active=True).select_related("city")
    return desks if user.is_superuser else desks.filter(staff=user)


def desk_for(user, desk_id: int) -> Desk:
    """The desk, if the user works there; 404 otherwise (nothing says it exists)."""
    desk = staff_desks(user).filter(pk=desk_id).first()
    if desk is None:
        raise Http404
    return desk


def ticket_for(desk: Desk, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.filter(pk=ticket_id, queue__desk=desk).select_related("queue").first()
    if ticket is None:
        raise Http404
    return ticket


def counter_for(desk: Desk, counter_id) -> Counter | None:
    if not str(counter_id or "").isdigit():
        return None
    return Counter.objects.filter(pk=int(counter_id), desk=desk, is_active=True).first()


@dataclass(frozen=True)
class QueueLine:
    queue: Queue
    waiting: int
    longest_wait: timedelta | None

    @property
    def longest_wait_minutes(self) -> int | None:
        return None if self.longest_wait is None else int(self.longest_wait.total_seconds() // 60)


def queue_board(desk: Desk, *, day: date, now: datetime) -> list[QueueLine]:
    """Each queue of the desk: how many wait, and for how long the first has waited."""
    waiting = Q(tickets__day=day, tickets__status=TicketStatus.WAITING)
    queues = (
        Queue.objects.filter(desk=desk, is_active=True)
        .select_related("service")
        .annotate(
            waiting=Count("tickets", filter=waiting),
            since=Min("tickets__arrived_at", filter=waiting),
        )
        .order_by("letter")
    )
    return [
        QueueLine(queue=q, waiting=q.waiting, longest_wait=(now - q.since) if q.since else None)
        for q in queues
    ]


def tickets_open(desk: Desk, *, day: date):
    """Today's tickets still in the day (waiting, called, being served, set aside): what the
    console shows; a ticket that ends leaves it."""
    from frontdesk.models import OPEN_TICKET_STATUSES

    return (
        Ticket.objects.filter(queue__desk=desk, day=day, status__in=OPEN_TICKET_STATUSES)
        .select_related("queue", "counter", "appointment")
        .order_by("queue__letter", "number")
    )


def bookings_today(desk: Desk, *, day: date):
    """Today's booked visits at the desk (on its clock), to check in or look up."""
    tz = ZoneInfo(desk.time_zone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return (
        Appointment.objects.filter(
            offering__desk=desk,
            start__gte=start,
            start__lt=start + timedelta(days=1),
            status__in=[Appointment.Status.CONFIRMED, Appointment.Status.CHECKED_IN],
        )
        .select_related("offering__service")
        .order_by("start")
    )


def bookings_find(desk: Desk, query: str, *, now: datetime, limit: int = 20):
    """The desk's bookings from today on with this booking code, or a phone number ending in
    these digits (at least six of them: a few digits would list strangers)."""
    query = query.strip()
    digits = "".join(ch for ch in query if ch.isdigit())
    match = Q(code__iexact=query.replace(" ", ""))
    if len(digits) >= 6:
        match |= Q(phone__endswith=digits)
    since = datetime.combine(now.astimezone(ZoneInfo(desk.time_zone)).date(), time.min)
    return (
        Appointment.objects.filter(
            match,
            offering__desk=desk,
            start__gte=since.replace(tzinfo=ZoneInfo(desk.time_zone)),
            status__in=[Appointment.Status.CONFIRMED, Appointment.Status.CHECKED_IN],
        )
        .select_related("offering__service")
        .order_by("start")[:limit]
    )


ENDED_BOOKING_STATUSES = (
    Appointment.Status.CANCELLED,
    Appointment.Status.SERVED,
    Appointment.Status.NO_SHOW,
    Appointment.Status.NOT_SERVED,
)


def booking_for(desk: Desk, appointment_id: int) -> Appointment:
    """One of the desk's bookings (a hold, or an offer not taken, is nobody's booking: 404)."""
    appointment = (
        Appointment.objects.filter(pk=appointment_id, offering__desk=desk)
        .filter(status__in=[*BOOKED_STATUSES, *ENDED_BOOKING_STATUSES])
        .select_related("offering__service", "offering__desk")
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def display_desk(token: str) -> Desk:
    from core.tokens import token_hash
    from frontdesk.models import DisplayScreen

    screen = (
        DisplayScreen.objects.filter(token_hash=token_hash(token)).select_related("desk").first()
    )
    if screen is None:
        raise Http404
    return screen.desk


@dataclass(frozen=True)
class Call:
    label: str
    counter: str
    called_at: datetime


def display_calls(desk: Desk, *, day: date, limit: int = 7) -> list[Call]:
    """The numbers called most recently and where to go: never a name or anything else."""
    tickets = (
        Ticket.objects.filter(queue__desk=desk, day=day, called_at__isnull=False)
        .filter(status__in=[TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.DONE])
        .select_related("queue", "counter")
        .order_by("-called_at")[:limit]
    )
    return [
        Call(label=t.label, counter=t.counter.name if t.counter else "", called_at=t.called_at)
        for t in tickets
    ]


@dataclass(frozen=True)
class Position:
    ticket: Ticket
    ahead: int
    minutes: int  # estimated wait


def position_for(token: str, *, now: datetime) -> Position:
    """A ticket's place in its line, found by the secret of its link (404 otherwise)."""
    from core.tokens import token_hash
    from frontdesk.services import CALL_ORDER

    ticket = (
        Ticket.objects.filter(position_token_hash=token_hash(token))
        .select_related("queue__desk")
        .first()
    )
    if ticket is None or not token:
        raise Http404
    ahead = 0
    if ticket.status == TicketStatus.WAITING:
        line = list(
            Ticket.objects.filter(queue=ticket.queue, day=ticket.day, status=TicketStatus.WAITING)
            .order_by(*CALL_ORDER)
            .values_list("pk", flat=True)
        )
        ahead = line.index(ticket.pk) if ticket.pk in line else 0
    served = Ticket.objects.filter(
        queue=ticket.queue, day=ticket.day, status=TicketStatus.DONE, started_at__isnull=False
    ).values_list("started_at", "finished_at")
    durations = [(end - start).total_seconds() / 60 for start, end in served if end]
    each = sum(durations) / len(durations) if durations else 15
    return Position(ticket=ticket, ahead=ahead, minutes=round(ahead * each))
