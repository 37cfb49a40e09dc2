"""Reminders come from a sweep over due bookings, are checked again when sent, and keep
out of the night."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appointments.models import Appointment
from appointments.services.booking import appointment_cancel, appointment_reschedule
from appointments.services.reminders import reminder_moments, reminders_queue
from messaging.backends import MemoryBackend
from messaging.models import Message
from messaging.outbox import message_text, messages_send_due
from tests.factories import ConfirmedAppointmentFactory, OfferingFactory

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    base = datetime.now(ROME).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return base + timedelta(days=day_offset)


@pytest.fixture
def booking():
    """A visit at 14:00 in three days, booked a week before."""
    offering = OfferingFactory(remind_day_before=True, remind_hours_before=3)
    start = _at(3, 14)
    appointment = ConfirmedAppointmentFactory(
        offering=offering, start=start, end=start + timedelta(minutes=30), language="uk"
    )
    Appointment.objects.filter(pk=appointment.pk).update(confirmed_at=start - timedelta(days=7))
    appointment.refresh_from_db()
    return appointment


def test_the_day_before_and_a_few_hours_before(booking):
    start = booking.start
    assert reminder_moments(booking) == [
        ("day", start - timedelta(hours=24)),
        ("hours", start - timedelta(hours=3)),
    ]
    assert reminders_queue(now=start - timedelta(hours=25)) == 0
    assert reminders_queue(now=start - timedelta(hours=24)) == 1
    assert reminders_queue(now=start - timedelta(hours=23)) == 0  # once
    day = Message.objects.get()
    assert day.kind == "booking_reminder" and day.language == "uk"
    assert reminders_queue(now=start - timedelta(hours=3)) == 1
    assert Message.objects.count() == 2
    assert booking.code in message_text(day, now=start - timedelta(hours=24))


def test_a_reminder_that_would_fall_at_night_goes_the_evening_before(booking, quiet_hours):
    start = _at(3, 9)  # 3 hours before is 06:00: quiet hours
    Appointment.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(minutes=30))
    booking.refresh_from_db()
    evening = (start - timedelta(days=1)).replace(hour=20)
    assert dict(reminder_moments(booking))["hours"] == evening
    assert reminders_queue(now=evening - timedelta(minutes=5)) == 1  # the day-before one
    assert reminders_queue(now=evening) == 1
    [_day, hours] = Message.objects.order_by("pk")
    assert hours.due_at == evening


def test_a_booking_made_after_the_moment_gets_no_late_day_before_reminder(booking):
    Appointment.objects.filter(pk=booking.pk).update(
        confirmed_at=booking.start - timedelta(hours=10)
    )
    assert reminders_queue(now=booking.start - timedelta(hours=9)) == 0
    assert reminders_queue(now=booking.start - timedelta(hours=3)) == 1


def test_a_cancelled_booking_is_not_reminded_even_if_its_reminder_was_queued(booking):
    due = booking.start - timedelta(hours=24)
    reminders_queue(now=due)
    appointment_cancel(appointment=booking, now=due + timedelta(minutes=1))
    MemoryBackend.reset()
    messages_send_due(now=due + timedelta(minutes=2))
    reminder = Message.objects.get(kind="booking_reminder")
    assert reminder.status == "cancelled"
    assert all("Reminder" not in sent["body"] for sent in MemoryBackend.outbox)


def test_a_moved_booking_is_reminded_of_its_new_time_not_the_old_one(booking):
    from appointments import selectors

    due = booking.start - timedelta(hours=24)
    reminders_queue(now=due)
    old = Message.objects.get(kind="booking_reminder")
    later = [
        s.start
        for s in selectors.offering_slots(offering=booking.offering, now=due)
        if s.start > booking.start + timedelta(days=2)
    ][0]
    appointment_reschedule(appointment=booking, start=later, now=due + timedelta(minutes=1))
    assert message_text(old, now=due + timedelta(minutes=2)) is None  # the old time: never
    booking.refresh_from_db()
    assert reminders_queue(now=later - timedelta(hours=24)) == 1  # the new time: its own
    new = Message.objects.filter(kind="booking_reminder").latest("pk")
    assert new.pk != old.pk and datetime.fromisoformat(new.params["start"]) == later


def test_a_reminder_too_close_to_the_visit_is_not_sent(booking):
    due = booking.start - timedelta(hours=3)
    reminders_queue(now=due)
    reminder = Message.objects.get()
    messages_send_due(now=booking.start - timedelta(minutes=20))
    reminder.refresh_from_db()
    assert reminder.status in ("cancelled", "technical_failure")
    assert not MemoryBackend.outbox


def test_a_number_that_opted_out_gets_no_reminder(booking):
    from messaging.optouts import opt_out

    opt_out(booking.phone)
    due = booking.start - timedelta(hours=24)
    reminders_queue(now=due)
    messages_send_due(now=due)
    assert Message.objects.get().status == "cancelled" and not MemoryBackend.outbox


def test_offerings_can_turn_reminders_off(booking):
    booking.offering.remind_day_before = False
    booking.offering.remind_hours_before = 0
    booking.offering.save()
    booking.refresh_from_db()
    assert reminder_moments(booking) == []
    assert reminders_queue(now=booking.start - timedelta(hours=3)) == 0
