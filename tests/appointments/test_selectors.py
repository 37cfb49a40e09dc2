"""The free-slot selector asks the database a fixed number of questions."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import selectors
from appointments.models import Appointment, Closure
from tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


def _book_many(offering, now, count):
    slots = selectors.offering_slots(offering=offering, now=now)[:count]
    Appointment.objects.bulk_create(
        Appointment(
            offering=offering,
            start=s.start,
            end=s.end,
            seat=1,
            slot_capacity=offering.capacity,
            phone="",
            language="it",
            code=f"Q{offering.pk}{i:04d}",
            status=Appointment.Status.CONFIRMED,
        )
        for i, s in enumerate(slots)
    )


def _queries(offering, now):
    offering = type(offering).objects.select_related("desk").get(pk=offering.pk)
    with CaptureQueriesContext(connection) as ctx:
        slots = selectors.offering_slots(offering=offering, now=now)
    return len(ctx.captured_queries), slots


@pytest.mark.parametrize("mobile", [False, True])
def test_query_count_does_not_grow_with_bookings(now, mobile):
    few, many = OfferingFactory(desk__is_mobile=mobile), OfferingFactory(desk__is_mobile=mobile)
    _book_many(few, now, 3)
    _book_many(many, now, 300)
    assert _queries(few, now)[0] == _queries(many, now)[0] == (4 if mobile else 3)


def test_closures_of_the_desk_and_of_the_offering_remove_slots(offering, now):
    slots = selectors.offering_slots(offering=offering, now=now)
    Closure.objects.create(desk=offering.desk, start=slots[0].start, end=slots[0].end)
    Closure.objects.create(
        desk=offering.desk, offering=offering, start=slots[1].start, end=slots[2].end
    )
    other = OfferingFactory(desk=offering.desk)
    Closure.objects.create(
        desk=offering.desk, offering=other, start=slots[3].start, end=slots[3].end
    )
    left = {s.start for s in selectors.offering_slots(offering=offering, now=now)}
    assert {s.start for s in slots[:3]}.isdisjoint(left)
    assert slots[3].start in left


def test_a_mobile_team_is_bookable_only_on_days_with_a_stop(now):
    from appointments.models import DeskStop

    offering = OfferingFactory(desk__is_mobile=True)
    assert selectors.offering_slots(offering=offering, now=now) == []
    day = (now + timedelta(days=2)).date()
    DeskStop.objects.create(desk=offering.desk, date=day, address="Piazza del Bacio")
    slots = selectors.offering_slots(offering=offering, now=now)
    assert slots and {s.start.astimezone(ZoneInfo("Europe/Rome")).date() for s in slots} == {day}
