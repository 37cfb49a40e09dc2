"""The day at the desk: queues, tickets and their transitions, call-next and its order."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from wagtail.models import ModelLogEntry

from appointments.models import Appointment
from frontdesk import services
from frontdesk.models import Counter, InvalidTicketMove, Queue, Ticket
from tests.factories import ConfirmedAppointmentFactory, OfferingFactory

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def _at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    base = datetime.now(ROME).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return base + timedelta(days=days)


@pytest.fixture
def desk_setup():
    legal = OfferingFactory()
    health = OfferingFactory(desk=legal.desk)
    queues = list(Queue.objects.filter(desk=legal.desk).order_by("letter"))
    counter = Counter.objects.create(desk=legal.desk, name="Room 1")
    counter.queues.set(queues)
    return legal, health, queues, counter


def test_each_offering_gets_its_queue_with_a_neutral_letter(desk_setup):
    legal, health, queues, _counter = desk_setup
    assert [(q.letter, q.service_id) for q in queues] == [
        ("A", legal.service_id),
        ("B", health.service_id),
    ]
    legal.duration_minutes = 45
    legal.save()  # saved again: still its one queue
    assert Queue.objects.filter(desk=legal.desk).count() == 2


def test_numbers_restart_each_day_and_are_unique_per_queue_and_day(desk_setup):
    _legal, _health, (a, b), _counter = desk_setup
    first = services.walk_in_issue(queue=a, now=_at(9))
    second = services.walk_in_issue(queue=a, now=_at(9, 5))
    other = services.walk_in_issue(queue=b, now=_at(9, 6))
    tomorrow = services.walk_in_issue(queue=a, now=_at(9, days=1))
    assert [first.label, second.label, other.label, tomorrow.label] == [
        "A001",
        "A002",
        "B001",
        "A001",
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            queue=a,
            day=first.day,
            number=1,
            source="walk_in",
            ready_at=first.ready_at,
            arrived_at=first.arrived_at,
            issued_at=first.issued_at,
        )


def test_the_daily_walk_in_quota_is_kept(desk_setup):
    _legal, _health, (a, _b), _counter = desk_setup
    a.walk_in_quota = 2
    a.save()
    services.walk_in_issue(queue=a, now=_at(9))
    services.walk_in_issue(queue=a, now=_at(9, 1))
    with pytest.raises(services.QuotaReached):
        services.walk_in_issue(queue=a, now=_at(9, 2))


def test_booked_visitors_wait_for_their_time_then_go_first_then_priority_then_arrival(
    desk_setup,
):
    legal, _health, (a, _b), counter = desk_setup
    booked = ConfirmedAppointmentFactory(
        offering=legal, start=_at(10), end=_at(10, 30), interpreter_language="ti"
    )
    early_walk_in = services.walk_in_issue(queue=a, now=_at(9, 30))
    ticket = services.check_in(appointment=booked, now=_at(9, 45))
    flagged = services.walk_in_issue(queue=a, now=_at(9, 50), priority=True)
    assert ticket.interpreter_language == "ti" and ticket.booked_on_time
    assert Appointment.objects.get(pk=booked.pk).status == "checked_in"

    # 09:55: the booked visitor's time has not come; the flagged one goes first.
    assert services.call_next(counter=counter, now=_at(9, 55)) == flagged
    services.finish(ticket=services.start(ticket=flagged, now=_at(9, 56)), now=_at(9, 58))
    # 10:00: now the booked visitor, before the walk-in who came earlier.
    assert services.call_next(counter=counter, now=_at(10)) == ticket
    services.finish(ticket=services.start(ticket=ticket, now=_at(10, 1)), now=_at(10, 20))
    assert Appointment.objects.get(pk=booked.pk).status == "served"
    assert services.call_next(counter=counter, now=_at(10, 21)) == early_walk_in


def test_a_booked_visitor_who_comes_late_queues_as_a_walk_in(desk_setup):
    legal, _health, (a, _b), counter = desk_setup
    booked = ConfirmedAppointmentFactory(offering=legal, start=_at(10), end=_at(10, 30))
    walk_in = services.walk_in_issue(queue=a, now=_at(10, 10))
    late = services.check_in(appointment=booked, now=_at(10, 20))  # 20 minutes late
    assert not late.booked_on_time
    assert services.call_next(counter=counter, now=_at(10, 21)) == walk_in


def test_only_todays_bookings_check_in(desk_setup):
    legal, *_ = desk_setup
    tomorrow = ConfirmedAppointmentFactory(
        offering=legal, start=_at(10, days=1), end=_at(10, 30, days=1)
    )
    with pytest.raises(services.NotToday):
        services.check_in(appointment=tomorrow, now=_at(9))


def test_recall_no_show_after_three_calls_park_resume_and_transfer(desk_setup):
    legal, _health, (a, b), counter = desk_setup
    booked = ConfirmedAppointmentFactory(offering=legal, start=_at(9), end=_at(9, 30))
    ticket = services.check_in(appointment=booked, now=_at(8, 55))
    ticket = services.call_next(counter=counter, now=_at(9))
    with pytest.raises(services.CounterBusy):
        services.call_next(counter=counter, now=_at(9, 1))
    with pytest.raises(InvalidTicketMove):
        services.no_show(ticket=ticket, now=_at(9, 1))  # called once only
    for minute in (2, 4):
        ticket = services.recall(ticket=ticket, now=_at(9, minute))
    assert ticket.calls == 3
    ticket = services.no_show(ticket=ticket, now=_at(9, 6))
    assert ticket.status == "no_show" and ticket.finished_at == _at(9, 6)
    assert Appointment.objects.get(pk=booked.pk).status == "no_show"

    walk_in = services.walk_in_issue(queue=a, now=_at(9, 10))
    walk_in = services.start(ticket=services.call_next(counter=counter, now=_at(9, 11)))
    parked = services.park(ticket=walk_in, now=_at(9, 12))
    assert parked.status == "parked" and parked.counter is None
    resumed = services.resume(ticket=parked, now=_at(9, 20))
    resumed = services.start(ticket=services.call_next(counter=counter, now=_at(9, 21)))
    moved = services.transfer(ticket=resumed, to=b, now=_at(9, 30))
    assert moved.label == "B001" and moved.arrived_at == _at(9, 10)
    assert Ticket.objects.get(pk=resumed.pk).status == "transferred"
    with pytest.raises(InvalidTicketMove):
        services.start(ticket=Ticket.objects.get(pk=resumed.pk))  # ended: no way back


def test_a_ticket_called_out_of_order_is_logged_with_who_and_how_many_it_passed(
    desk_setup, django_user_model
):
    legal, _health, (a, b), counter = desk_setup
    lead = django_user_model.objects.create_user("lead")
    first, second = (services.walk_in_issue(queue=a, now=_at(9, m)) for m in (0, 1))
    other_queue = services.walk_in_issue(queue=b, now=_at(9, 2))
    with pytest.raises(InvalidTicketMove):  # only a waiting ticket
        services.call_out_of_order(
            counter=counter, ticket=services.park(ticket=first, now=_at(9, 3)), by=lead
        )
    services.resume(ticket=first, now=_at(9, 3))
    called = services.call_out_of_order(counter=counter, ticket=other_queue, by=lead, now=_at(9, 5))
    assert (called.status, called.counter, called.calls) == ("called", counter, 1)
    entry = ModelLogEntry.objects.get(action="frontdesk.call_out_of_order")
    assert (entry.user, entry.label, entry.object_id) == (lead, "B001", str(called.pk))
    assert entry.data == {"counter": "Room 1", "passed_over": 2}  # A001 and A002 waited longer
    with pytest.raises(services.CounterBusy):
        services.call_out_of_order(counter=counter, ticket=second, by=lead, now=_at(9, 6))
    elsewhere = Counter.objects.create(desk=OfferingFactory().desk, name="Far away")
    with pytest.raises(InvalidTicketMove):  # another desk's ticket
        services.call_out_of_order(counter=elsewhere, ticket=second, by=lead, now=_at(9, 6))
    assert Ticket.objects.get(pk=second.pk).status == "waiting"


def test_the_days_end_closes_what_is_open_and_never_calls_it_a_no_show(desk_setup):
    legal, _health, (a, _b), counter = desk_setup
    booked = ConfirmedAppointmentFactory(offering=legal, start=_at(11), end=_at(11, 30))
    waiting = services.check_in(appointment=booked, now=_at(10, 50))
    walk_in = services.walk_in_issue(queue=a, now=_at(10, 40))
    serving = services.start(ticket=services.call_next(counter=counter, now=_at(10, 45)))
    assert serving == walk_in
    assert services.day_end(desk=legal.desk, now=_at(20)) == 0  # still today
    assert services.day_end(desk=legal.desk, now=_at(1, days=1)) == 2
    assert Ticket.objects.get(pk=waiting.pk).status == "not_served"
    assert Appointment.objects.get(pk=booked.pk).status == "not_served"
    assert Ticket.objects.get(pk=serving.pk).status == "done"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_counters_calling_at_once_on_postgresql_never_get_the_same_ticket():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (CI runs the suite on both databases)")
    offering = OfferingFactory()
    queue = Queue.objects.get(desk=offering.desk)
    counters = []
    for n in range(6):
        counter = Counter.objects.create(desk=offering.desk, name=f"Room {n}")
        counter.queues.set([queue])
        counters.append(counter)
    for minute in range(4):
        services.walk_in_issue(queue=queue, now=_at(9, minute))
    barrier, called, errors = threading.Barrier(len(counters)), [], []

    def call(counter):
        try:
            barrier.wait()
            ticket = services.call_next(counter=counter, now=_at(9, 30))
            called.append(ticket.pk if ticket else None)
        except Exception as exc:  # a lock timeout would show here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(c,)) for c in counters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    got = [pk for pk in called if pk]
    assert len(got) == 4 and len(set(got)) == 4 and called.count(None) == 2
