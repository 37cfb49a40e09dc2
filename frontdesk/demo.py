"""Demo content of the front desk: counters at every desk, and in Perugia a day in progress
(people waiting, one being served, a few done)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from appointments.models import Desk
from frontdesk import services
from frontdesk.models import Counter, Queue, Ticket


def load(*, log) -> None:
    counters = 0
    for desk in Desk.objects.filter(queues__isnull=False).distinct():
        queues = list(Queue.objects.filter(desk=desk))
        for name in ("Sportello 1", "Sportello 2"):
            counter, created = Counter.objects.get_or_create(desk=desk, name=name)
            if created:
                counter.queues.set(queues)
                counters += 1
    log(f"{counters} counters, {_day_in_progress()} demo tickets today")


def _day_in_progress() -> int:
    desk = Desk.objects.filter(city__slug="perugia", queues__isnull=False).order_by("pk").first()
    now = timezone.now()
    if desk is None or Ticket.objects.filter(queue__desk=desk, day=services.desk_day(desk, now)):
        return 0
    queues = list(Queue.objects.filter(desk=desk).order_by("letter"))
    counter = Counter.objects.get(desk=desk, name="Sportello 1")
    # The morning so far, 100 minutes of it; just after the desk's midnight, squeezed into
    # the minutes since, so that every ticket is today's.
    local = timezone.localtime(now, ZoneInfo(desk.time_zone))
    span = min(timedelta(minutes=100), local - local.replace(hour=0, minute=0, second=0))

    def ago(minutes: int):
        return now - span * (minutes / 100)

    made = 0
    for minutes_ago in (95, 80, 65):  # served earlier today
        issued = ago(minutes_ago)
        services.walk_in_issue(queue=queues[0], now=issued)
        called = services.call_next(counter=counter, now=issued)
        services.start(ticket=called, now=issued)
        services.finish(ticket=called, now=ago(minutes_ago - 10))
        made += 1
    services.walk_in_issue(queue=queues[0], now=ago(30))  # being served
    services.start(ticket=services.call_next(counter=counter, now=ago(20)))
    made += 1
    made += _bookings_later_today(desk, queues, now)
    for n, minutes_ago in enumerate((25, 18, 12, 5)):  # waiting
        services.walk_in_issue(
            queue=queues[n % len(queues)], now=ago(minutes_ago), priority=(n == 2)
        )
        made += 1
    return made


def _bookings_later_today(desk, queues, now) -> int:
    """Two visits booked for later today, to check in (whatever the hour of the demo):
    the demo's bookings are made on the schedule's first free slots, never today."""
    from appointments.models import Appointment, Offering
    from appointments.services.seats import seat_take

    offering = Offering.objects.filter(desk=desk, service=queues[0].service).first()
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=30 - now.minute % 5)
    made = 0
    for n, later in enumerate((timedelta(0), timedelta(minutes=30))):
        if services.desk_day(desk, start + later) != services.desk_day(desk, now):
            break  # too late in the day
        seat_take(
            offering=offering,
            start=start + later,
            now=now,
            status=Appointment.Status.CONFIRMED,
            confirmed_at=now,
            phone="",  # a demo never texts a real number
            name=("Amina", "Yusuf")[n],
            language=("ar", "it")[n],
            interpreter_language=("ar", "")[n],
        )
        made += 1
    return made
