import pytest

from appointments import selectors
from appointments.models import Appointment, WaitlistEntry
from appointments.services.booking import appointment_cancel
from appointments.services.errors import (
    HoldExpired,
    PlacesStillFree,
    TooManyAttempts,
    WrongCode,
)
from appointments.services.waitlist import (
    waitlist_accept,
    waitlist_confirm,
    waitlist_decline,
    waitlist_join,
    waitlist_leave,
    waitlist_sweep,
)
from messaging.models import Message
from tests.factories import full_offering, sms_code_for, sms_text, waiting

pytestmark = pytest.mark.django_db


def test_a_freed_place_is_offered_to_the_first_in_line_who_can_take_it(now):
    offering = full_offering()
    booked = offering.booked
    assert booked and not selectors.offering_slots(offering=offering, now=now)
    first = waiting(offering, "+393471111111", "ar")
    waiting(offering, "+393472222222", "it")
    assert waiting(offering, "+393471111111", "ar") == first  # joining again keeps the place

    booked[0].phone = "+393470000000"
    appointment_cancel(appointment=booked[0], now=now)

    first.refresh_from_db()
    assert first.status == WaitlistEntry.Status.OFFERED
    offer = first.offered
    assert (offer.status, offer.phone, offer.start) == ("held", "+393471111111", booked[0].start)
    sms = Message.objects.get(dedupe_key=f"appt:{first.offered_id}:offer")
    assert sms.language == "ar" and "/m/" in sms_text(sms) and sms.kind == "waitlist_offer"
    assert offering.service.name not in sms_text(sms)

    token = waitlist_accept(appointment=offer, now=now)
    offer.refresh_from_db()
    first.refresh_from_db()
    assert offer.status == Appointment.Status.CONFIRMED
    assert (first.status, first.ended_at) == (WaitlistEntry.Status.ACCEPTED, now)
    confirmation = sms_text(Message.objects.get(dedupe_key=f"appt:{offer.pk}:confirmed"))
    assert token in confirmation and offer.code in confirmation
    assert WaitlistEntry.objects.get(phone="+393472222222").status == WaitlistEntry.Status.WAITING


def test_an_offer_not_taken_in_time_expires(now):
    from datetime import timedelta

    offering = full_offering()
    booked = offering.booked
    entry = waiting(offering, "+393471111111", "it")
    appointment_cancel(appointment=booked[0], now=now)
    entry.refresh_from_db()
    later = now + timedelta(hours=3)
    with pytest.raises(HoldExpired):
        waitlist_accept(appointment=entry.offered, now=later)
    from appointments.services.booking import holds_expire

    holds_expire(now=later)
    waitlist_sweep(now=later)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFER_EXPIRED
    assert entry.offered.status == Appointment.Status.EXPIRED


def test_a_number_joins_the_line_only_with_the_sms_code(now):
    offering = full_offering()
    entry, sent = waitlist_join(offering=offering, phone="+393471111111", language="it", now=now)
    assert entry.status == WaitlistEntry.Status.PENDING and sent
    sms = Message.objects.get(dedupe_key=f"challenge:{entry.challenge_id}:1")
    assert offering.service.name not in sms_text(sms)
    right = sms_code_for(entry.challenge)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(WrongCode):
            waitlist_confirm(entry=entry, code=wrong, now=now)
    with pytest.raises(TooManyAttempts):
        waitlist_confirm(entry=entry, code=wrong, now=now)
    with pytest.raises(TooManyAttempts):
        waitlist_confirm(entry=entry, code=right, now=now)
    appointment_cancel(appointment=offering.booked[0], now=now)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.PENDING  # never offered a place
    assert not Appointment.objects.filter(phone="+393471111111").exists()


def test_joining_again_while_the_code_is_valid_sends_no_second_code(now):
    offering = full_offering()
    entry, sent = waitlist_join(offering=offering, phone="+393471111111", language="it", now=now)
    again, sent_again = waitlist_join(
        offering=offering, phone="+393471111111", language="it", mine=entry.pk, now=now
    )
    assert (again, sent, sent_again) == (entry, True, False)
    # Somebody else typing the number gets the same answer, but not that code's tries.
    decoy, sent_to_decoy = waitlist_join(
        offering=offering, phone="+393471111111", language="it", now=now
    )
    assert decoy != entry and decoy.challenge is None and not sent_to_decoy
    assert Message.objects.count() == 1


def test_the_list_is_offered_only_when_nothing_is_free(offering, now):
    with pytest.raises(PlacesStillFree):
        waitlist_join(offering=offering, phone="+393471111111", language="it", now=now)
    assert not WaitlistEntry.objects.exists() and not Message.objects.exists()


def test_a_declined_offer_goes_to_the_next_in_line(now):
    offering = full_offering()
    first = waiting(offering, "+393471111111", "it")
    second = waiting(offering, "+393472222222", "ar")
    appointment_cancel(appointment=offering.booked[0], now=now)
    first.refresh_from_db()
    waitlist_decline(appointment=first.offered, now=now)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistEntry.Status.DECLINED
    assert first.offered.status == Appointment.Status.RELEASED
    assert second.status == WaitlistEntry.Status.OFFERED
    assert second.offered.start == offering.booked[0].start


def test_leaving_the_list_while_offered_passes_the_place_on(now):
    offering = full_offering()
    first = waiting(offering, "+393471111111", "it")
    second = waiting(offering, "+393472222222", "it")
    appointment_cancel(appointment=offering.booked[0], now=now)
    first.refresh_from_db()
    waitlist_leave(entry=first, now=now)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.offered.status) == ("left", "released")
    assert second.status == WaitlistEntry.Status.OFFERED


def test_an_offer_whose_text_cannot_arrive_goes_to_the_next_in_line_at_once(now):
    from messaging.backends import MemoryBackend
    from messaging.outbox import message_send

    offering = full_offering()
    first = waiting(offering, "+393471111111", "it")
    second = waiting(offering, "+393472222222", "it")
    appointment_cancel(appointment=offering.booked[0], now=now)
    first.refresh_from_db()
    offer = Message.objects.get(dedupe_key=f"appt:{first.offered_id}:offer")
    MemoryBackend.script = ["21211"]  # the provider: not a valid number
    message_send(message_id=offer.pk, now=offer.due_at)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistEntry.Status.DECLINED
    assert second.status == WaitlistEntry.Status.OFFERED


def test_a_number_that_sends_stop_leaves_the_waiting_lists(now):
    from messaging.optouts import opt_out

    offering = full_offering()
    entry = waiting(offering, "+393471111111", "it")
    other = waiting(offering, "+393472222222", "it")
    opt_out("+393471111111")
    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.LEFT
    assert other.status == WaitlistEntry.Status.WAITING


def test_an_offer_made_at_night_is_read_at_eight_and_closes_before_the_visit(quiet_hours):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from appointments.services.waitlist import waitlist_offer_next
    from tests.factories import OfferingFactory

    offering = OfferingFactory(min_notice_minutes=60)
    entry = WaitlistEntry.objects.create(
        offering=offering, phone="+393471111111", language="it", status="waiting"
    )
    night = datetime.now(ZoneInfo("Europe/Rome")).replace(
        hour=23, minute=0, second=0, microsecond=0
    )
    eight = (night + timedelta(days=1)).replace(hour=8)
    assert waitlist_offer_next(offering=offering, now=night) == entry
    offer = WaitlistEntry.objects.get(pk=entry.pk).offered
    # 08:00 and 08:30 start too soon after the text is read at 08:00: 08:30 is still free.
    assert offer.start == eight + timedelta(minutes=60)
    assert offer.hold_expires_at == offer.start - timedelta(minutes=15)
    message = Message.objects.get(kind="waitlist_offer")
    assert message.due_at == eight
