"""Desks close by the calendar: Italy's public holidays, the city's patron day, unless the
desk opens on one after all; nobody books Christmas Day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from appointments import selectors
from appointments.holidays import holiday_dates
from appointments.models import HolidayOpening, PatronDay
from appointments.services.booking import Person, appointment_book_on_behalf
from appointments.services.errors import SlotUnavailable
from tests.factories import OfferingFactory, staff_login

pytestmark = pytest.mark.django_db


def _days_with_slots(offering, now):
    return {s.start.date() for s in selectors.offering_slots(offering=offering, now=now)}


def test_nobody_books_christmas_or_the_patron_day_unless_the_desk_opens(
    django_user_model, django_capture_on_commit_callbacks
):
    offering = OfferingFactory(horizon_days=40)
    desk = offering.desk
    now = datetime(2026, 12, 1, 9, tzinfo=timezone.get_current_timezone())
    days = _days_with_slots(offering, now)
    assert date(2026, 12, 25) not in days and date(2026, 12, 26) not in days
    assert date(2026, 12, 8) not in days  # the Immaculate Conception
    assert date(2026, 12, 24) in days and date(2026, 12, 28) in days

    with django_capture_on_commit_callbacks(execute=True):  # the cache forgets on commit
        PatronDay.objects.create(city=desk.city, day=28, month=12, saint="San Test", source="t")
    assert date(2026, 12, 28) not in _days_with_slots(offering, now)
    with django_capture_on_commit_callbacks(execute=True):
        HolidayOpening.objects.create(desk=desk, date=date(2026, 12, 28))
    assert date(2026, 12, 28) in _days_with_slots(offering, now)
    assert holiday_dates(desk, date(2026, 12, 1), date(2026, 12, 31)).keys() == {
        date(2026, 12, 8),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }

    christmas = datetime.combine(
        date(2026, 12, 25), time(10), tzinfo=timezone.get_current_timezone()
    )
    person = Person(phone="", language="it")
    with pytest.raises(SlotUnavailable):  # a hand-made request cannot book it either
        appointment_book_on_behalf(
            offering=offering, start=christmas, person=person, booked_by=None, now=now
        )


def test_the_holidays_page_lists_closed_days_and_bookings_to_move(client, django_user_model):
    from django.contrib.auth.models import Group

    from tests.factories import ConfirmedAppointmentFactory

    offering = OfferingFactory()
    editor = django_user_model.objects.create_user("op", password="x")  # the desk's staff
    editor.groups.add(Group.objects.get(name="Operators"))
    offering.desk.staff.add(editor)
    patron = timezone.localdate() + timedelta(days=60)
    if (patron.month, patron.day) == (2, 29):
        patron += timedelta(days=1)
    PatronDay.objects.create(
        city=offering.desk.city, day=patron.day, month=patron.month, saint="San Tre", source="x"
    )
    start = datetime.combine(patron, time(10), tzinfo=timezone.get_current_timezone())
    booked = ConfirmedAppointmentFactory(offering=offering, start=start, code="MOVEME")
    cache.clear()
    staff_login(client, editor)
    page = client.get("/admin/holidays/").content.decode()
    assert "San Tre" in page and booked.code in page and "Christmas Day" in page
    # A closure added over a booking in the admin says whom to move.
    other = ConfirmedAppointmentFactory(offering=offering, code="CALLME")
    local = timezone.localtime(other.start)
    response = client.post(
        "/admin/snippets/appointments/closure/add/",
        {
            "desk": offering.desk.pk,
            "start": local.replace(hour=0, minute=0).strftime("%Y-%m-%d %H:%M"),
            "end": local.replace(hour=23, minute=59).strftime("%Y-%m-%d %H:%M"),
            "reason": "Sciopero",
        },
        follow=True,
    )
    assert "CALLME" in response.content.decode()
