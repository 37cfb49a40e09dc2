"""appointment_hold / verify / book on behalf / cancel / reschedule, on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from appointments import selectors
from appointments.models import Appointment, InvalidTransition
from appointments.services.booking import (
    Person,
    appointment_book_on_behalf,
    appointment_cancel,
    appointment_hold,
    appointment_reschedule,
    appointment_verify,
    holds_expire,
)
from appointments.services.errors import (
    AlreadyBookedService,
    HoldExpired,
    NotChangeable,
    SlotTaken,
    SlotUnavailable,
    TooManyAttempts,
    TooManyBookings,
    WrongCode,
)
from core.tokens import CODE_ALPHABET
from messaging.models import Message, PhoneChallenge
from messaging.segments import gsm_friendly
from tests.factories import OfferingFactory, last_sms_code, sms_text

pytestmark = pytest.mark.django_db

AMAL = Person(phone="+393471234567", language="ar", name="Amal", reason="permesso di soggiorno")


def _code_sent_to(phone: str) -> str:
    return last_sms_code(to=phone)


def test_a_hold_takes_the_seat_and_queues_a_code_that_names_no_service(offering, first_slot, now):
    appointment = appointment_hold(offering=offering, start=first_slot.start, person=AMAL, now=now)
    assert appointment.status == Appointment.Status.HELD
    assert appointment.hold_expires_at == now + timedelta(minutes=10)
    assert set(appointment.code) <= set(CODE_ALPHABET) and len(appointment.code) == 6
    sms = Message.objects.get()
    assert sms.to == AMAL.phone and sms.language == "ar" and sms.kind == "code"
    text = sms_text(sms)
    assert offering.service.name not in text and "legal" not in text.lower()
    assert AMAL.reason not in text
    free = {
        s.start: s.free
        for s in selectors.offering_slots(offering=offering, now=now, include_full=True)
    }
    assert free[first_slot.start] == 0


def test_the_right_code_books_and_the_link_opens_the_booking(offering, first_slot, now):
    appointment = appointment_hold(offering=offering, start=first_slot.start, person=AMAL, now=now)
    token = appointment_verify(appointment=appointment, code=_code_sent_to(AMAL.phone), now=now)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    assert appointment.hold_expires_at is None and appointment.confirmed_at == now
    assert selectors.appointment_by_token(token=token) == appointment
    assert len(token) >= 22  # 128 bits and more, URL-safe
    assert not Appointment.objects.filter(tokens__token_hash=token).exists()  # only the hash
    confirmation = sms_text(Message.objects.get(dedupe_key=f"appt:{appointment.pk}:confirmed"))
    assert appointment.code in confirmation and f"/m/{token}" in confirmation
    assert offering.service.name not in confirmation


def test_wrong_codes_are_counted_and_then_refused_even_when_right(offering, first_slot, now):
    appointment = appointment_hold(offering=offering, start=first_slot.start, person=AMAL, now=now)
    right = _code_sent_to(AMAL.phone)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongCode) as info:
            appointment_verify(appointment=appointment, code=wrong, now=now)
        assert info.value.context["attempts_left"] == left
    with pytest.raises(TooManyAttempts):
        appointment_verify(appointment=appointment, code=wrong, now=now)
    with pytest.raises(TooManyAttempts):
        appointment_verify(appointment=appointment, code=right, now=now)
    assert Appointment.objects.get().status == Appointment.Status.HELD


def test_an_expired_hold_frees_the_slot_and_cannot_be_confirmed(offering, now):
    # A slot a few hours ahead, so that it is still inside the booking window 10 minutes later.
    first_slot = selectors.offering_slots(offering=offering, now=now)[8]
    appointment = appointment_hold(offering=offering, start=first_slot.start, person=AMAL, now=now)
    later = now + timedelta(minutes=10, seconds=1)
    assert first_slot.start in {
        s.start for s in selectors.offering_slots(offering=offering, now=later)
    }
    with pytest.raises(HoldExpired):
        appointment_verify(appointment=appointment, code=_code_sent_to(AMAL.phone), now=later)
    assert holds_expire(now=later) == 1
    expired = Appointment.objects.get()
    assert (expired.status, expired.hold_ended_at) == (Appointment.Status.EXPIRED, later)
    other = Person(phone="+393479999999", language="it")
    appointment_hold(offering=offering, start=first_slot.start, person=other, now=later)


def test_capacity_three_with_two_taken_leaves_one_and_the_fourth_is_refused(now):
    offering = OfferingFactory(capacity=3)
    start = selectors.offering_slots(offering=offering, now=now)[0].start
    for n in range(2):
        appointment_hold(
            offering=offering,
            start=start,
            person=Person(phone=f"+39347000000{n}", language="it"),
            now=now,
        )
    slot = selectors.offering_slot(offering=offering, start=start, now=now)
    assert (slot.capacity, slot.taken, slot.free) == (3, 2, 1)
    appointment_hold(
        offering=offering, start=start, person=Person(phone="+393470000002", language="it"), now=now
    )
    before = (
        Appointment.objects.count(),
        Message.objects.count(),
        PhoneChallenge.objects.count(),
    )
    with pytest.raises(SlotTaken) as info:
        appointment_hold(
            offering=offering,
            start=start,
            person=Person(phone="+393470000003", language="it"),
            now=now,
        )
    assert info.value.next_slots and all(s.start != start for s in info.value.next_slots)
    after = (
        Appointment.objects.count(),
        Message.objects.count(),
        PhoneChallenge.objects.count(),
    )
    assert before == after
    assert sorted(Appointment.objects.values_list("seat", flat=True)) == [1, 2, 3]


def test_a_time_outside_the_schedule_or_window_cannot_be_booked(offering, first_slot, now):
    for start in (first_slot.start + timedelta(minutes=7), now + timedelta(days=31), now):
        with pytest.raises(SlotUnavailable):
            appointment_hold(offering=offering, start=start, person=AMAL, now=now)
    assert not Appointment.objects.exists()


def test_one_phone_has_at_most_two_bookings_and_one_per_service(now):
    first, second, third = OfferingFactory(), OfferingFactory(), OfferingFactory()
    slots = selectors.offering_slots(offering=first, now=now)

    def book(offering, slot):
        return appointment_book_on_behalf(
            offering=offering, start=slot.start, person=AMAL, booked_by=None, now=now
        )

    book(first, slots[0])
    with pytest.raises(AlreadyBookedService):
        book(first, slots[3])
    book(second, slots[0])
    with pytest.raises(TooManyBookings):
        book(third, slots[0])


def test_limits_are_told_only_to_whoever_proves_the_number(offering, now):
    """Typing someone else's number must not reveal what that number has booked."""
    slots = selectors.offering_slots(offering=offering, now=now)
    appointment_book_on_behalf(
        offering=offering, start=slots[0].start, person=AMAL, booked_by=None, now=now
    )
    hold = appointment_hold(offering=offering, start=slots[5].start, person=AMAL, now=now)
    assert hold.status == Appointment.Status.HELD  # same answer as for any number
    with pytest.raises(AlreadyBookedService):
        appointment_verify(appointment=hold, code=_code_sent_to(AMAL.phone), now=now)
    hold.refresh_from_db()
    assert hold.status == Appointment.Status.RELEASED  # the seat is free again
    assert slots[5].start in {s.start for s in selectors.offering_slots(offering=offering, now=now)}


def test_a_started_visit_cannot_be_cancelled(offering, first_slot, now):
    appointment, _ = appointment_book_on_behalf(
        offering=offering, start=first_slot.start, person=AMAL, booked_by=None, now=now
    )
    with pytest.raises(NotChangeable):
        appointment_cancel(appointment=appointment, now=first_slot.start + timedelta(minutes=1))
    assert Appointment.objects.get().status == Appointment.Status.CONFIRMED


def test_a_slot_never_takes_more_than_its_current_capacity(now):
    offering = OfferingFactory(capacity=2)
    start = selectors.offering_slots(offering=offering, now=now)[0].start
    a, _ = appointment_book_on_behalf(
        offering=offering,
        start=start,
        person=Person(phone="", language="it"),
        booked_by=None,
        now=now,
    )
    appointment_book_on_behalf(
        offering=offering,
        start=start,
        person=Person(phone="", language="it"),
        booked_by=None,
        now=now,
    )
    appointment_cancel(appointment=a, now=now)  # seat 1 free, seat 2 taken
    offering.capacity = 1
    offering.save()
    with pytest.raises((SlotTaken, SlotUnavailable)):
        appointment_book_on_behalf(
            offering=offering,
            start=start,
            person=Person(phone="", language="it"),
            booked_by=None,
            now=now,
        )
    assert Appointment.objects.active().filter(start=start).count() == 1


def test_moving_back_and_forth_sends_one_sms_per_move(offering, now):
    slots = selectors.offering_slots(offering=offering, now=now)
    appointment, _ = appointment_book_on_behalf(
        offering=offering, start=slots[0].start, person=AMAL, booked_by=None, now=now
    )
    for n, target in enumerate([slots[3], slots[0], slots[3]]):
        appointment_reschedule(
            appointment=appointment, start=target.start, now=now + timedelta(seconds=n)
        )
    assert Message.objects.filter(dedupe_key__contains=":moved:").count() == 3


def test_an_operator_books_on_behalf_without_a_code_and_is_recorded(
    offering, first_slot, now, django_user_model
):
    operator = django_user_model.objects.create(username="op")
    person = Person(phone="", language="ti", name="Walk-in")
    appointment, token = appointment_book_on_behalf(
        offering=offering, start=first_slot.start, person=person, booked_by=operator, now=now
    )
    assert appointment.status == Appointment.Status.CONFIRMED
    assert appointment.booked_by == operator
    assert not Message.objects.exists()  # no phone, no SMS; nobody to send a code to
    assert selectors.appointment_by_token(token=token) == appointment
    with pytest.raises(SlotTaken):
        appointment_book_on_behalf(
            offering=offering, start=first_slot.start, person=AMAL, booked_by=operator, now=now
        )


def test_cancel_frees_the_seat_and_tells_the_person(offering, first_slot, now):
    appointment, _token = appointment_book_on_behalf(
        offering=offering, start=first_slot.start, person=AMAL, booked_by=None, now=now
    )
    appointment_cancel(appointment=appointment, now=now)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert (appointment.cancelled_at, appointment.cancelled_by) == (now, None)
    assert Message.objects.filter(dedupe_key=f"appt:{appointment.pk}:cancelled").exists()
    assert first_slot.start in {
        s.start for s in selectors.offering_slots(offering=offering, now=now)
    }


def test_reschedule_moves_the_booking_and_keeps_its_code(offering, now):
    slots = selectors.offering_slots(offering=offering, now=now)
    appointment, _ = appointment_book_on_behalf(
        offering=offering, start=slots[0].start, person=AMAL, booked_by=None, now=now
    )
    moved = appointment_reschedule(appointment=appointment, start=slots[4].start, now=now)
    assert (moved.start, moved.code, moved.status) == (
        slots[4].start,
        appointment.code,
        "confirmed",
    )
    free = {s.start for s in selectors.offering_slots(offering=offering, now=now)}
    assert slots[0].start in free and slots[4].start not in free
    assert (
        Message.objects.filter(dedupe_key__startswith=f"appt:{appointment.pk}:moved:").count() == 1
    )


def test_reschedule_to_a_full_time_is_refused_and_changes_nothing(offering, now):
    slots = selectors.offering_slots(offering=offering, now=now)
    mine, _ = appointment_book_on_behalf(
        offering=offering, start=slots[0].start, person=AMAL, booked_by=None, now=now
    )
    other = Person(phone="+393470000009", language="it")
    appointment_book_on_behalf(
        offering=offering, start=slots[1].start, person=other, booked_by=None, now=now
    )
    with pytest.raises(SlotTaken):
        appointment_reschedule(appointment=mine, start=slots[1].start, now=now)
    mine.refresh_from_db()
    assert mine.start == slots[0].start


def test_the_database_refuses_a_second_booking_on_a_seat_or_a_seat_past_capacity(
    offering, first_slot, now
):
    appointment, _ = appointment_book_on_behalf(
        offering=offering, start=first_slot.start, person=AMAL, booked_by=None, now=now
    )
    fields = {
        "offering": offering,
        "start": appointment.start,
        "end": appointment.end,
        "slot_capacity": 1,
        "language": "it",
        "status": Appointment.Status.CONFIRMED,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(seat=1, code="ZZZZZZ", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(seat=2, code="YYYYYY", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            **{
                **fields,
                "start": appointment.start + timedelta(hours=1),
                "end": appointment.end + timedelta(hours=1),
            },
            seat=1,
            code=appointment.code,
        )


def test_only_legal_transitions_are_allowed(offering, first_slot, now, django_user_model):
    appointment, _ = appointment_book_on_behalf(
        offering=offering, start=first_slot.start, person=AMAL, booked_by=None, now=now
    )
    operator = django_user_model.objects.create(username="desk")
    appointment.check_in(now=now, by=operator)
    appointment.mark_served(now=now)
    with pytest.raises(InvalidTransition, match="from served to cancelled"):
        appointment.cancel(now=now)
    with pytest.raises(InvalidTransition):
        appointment.confirm(now=now)
    appointment.refresh_from_db()
    assert (appointment.status, appointment.checked_in_by, appointment.served_at) == (
        "served",
        operator,
        now,
    )
    assert appointment.confirmed_at == now


def test_sms_texts_show_the_desk_clock_in_the_person_language(now):
    from zoneinfo import ZoneInfo

    from core.formatting import format_time

    offering = OfferingFactory(desk__time_zone="Europe/Lisbon")  # an hour behind Rome
    start = selectors.offering_slots(offering=offering, now=now)[0].start
    appointment, _ = appointment_book_on_behalf(
        offering=offering,
        start=start,
        person=Person(phone="+393471234567", language="ti"),
        booked_by=None,
        now=now,
    )
    body = sms_text(Message.objects.get(dedupe_key=f"appt:{appointment.pk}:confirmed"))
    assert gsm_friendly(format_time(start, language="ti", tz=ZoneInfo("Europe/Lisbon"))) in body
    assert gsm_friendly(format_time(start, language="ti", tz=ZoneInfo("Europe/Rome"))) not in body
