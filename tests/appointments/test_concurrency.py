"""50 people press "book" on the last free place at the same moment: exactly one gets it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from appointments import selectors
from appointments.models import Appointment
from appointments.services.booking import Person, appointment_hold
from appointments.services.errors import SlotTaken
from messaging.models import Message, PhoneChallenge
from tests.factories import OfferingFactory

PEOPLE = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_threads_race_for_the_last_place_and_exactly_one_wins(now):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (CI runs the suite on both databases)")
    offering = OfferingFactory(capacity=3)
    start = selectors.offering_slots(offering=offering, now=now)[0].start
    for n in range(2):  # two of the three places are already taken
        appointment_hold(
            offering=offering,
            start=start,
            person=Person(phone=f"+39340000000{n}", language="it"),
            now=now,
        )

    barrier = threading.Barrier(PEOPLE)
    results: list[object] = [None] * PEOPLE

    def book(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            person = Person(phone=f"+39347{i:07d}", language="it")
            results[i] = appointment_hold(offering=offering, start=start, person=person, now=now)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    winners = [r for r in results if isinstance(r, Appointment)]
    losers = [r for r in results if isinstance(r, SlotTaken)]
    assert len(winners) == 1, results
    assert len(losers) == PEOPLE - 1, [
        r for r in results if not isinstance(r, (Appointment, SlotTaken))
    ]
    assert all(loser.next_slots and loser.next_slots[0].start != start for loser in losers)
    assert Appointment.objects.filter(start=start).count() == 3
    assert sorted(Appointment.objects.filter(start=start).values_list("seat", flat=True)) == [
        1,
        2,
        3,
    ]
    # Nothing else was written by the 49 who lost: one code and one SMS per winner only.
    assert PhoneChallenge.objects.count() == 3
    assert Message.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_number_confirming_two_services_at_once_gets_one_over_its_limit(now, settings):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (CI runs the suite on both databases)")
    from appointments.services.booking import appointment_book_on_behalf
    from appointments.services.errors import TooManyBookings

    settings.SPORTELLO = {**settings.SPORTELLO, "MAX_ACTIVE_BOOKINGS_PER_PHONE": 1}
    offerings = [OfferingFactory() for _ in range(8)]
    starts = [selectors.offering_slots(offering=o, now=now)[0].start for o in offerings]
    barrier = threading.Barrier(len(offerings))
    results: list[object] = [None] * len(offerings)

    def book(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            person = Person(phone="+393471234567", language="it")
            results[i] = appointment_book_on_behalf(
                offering=offerings[i], start=starts[i], person=person, booked_by=None, now=now
            )
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(len(offerings))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(isinstance(r, tuple) for r in results) == 1, results
    assert sum(isinstance(r, TooManyBookings) for r in results) == len(offerings) - 1
    assert Appointment.objects.filter(phone="+393471234567", status="confirmed").count() == 1
