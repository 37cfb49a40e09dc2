"""What else an operator does at the console: a call out of order, a booking changed for a
person on the phone, the day's list on paper, a console that refreshes itself cheaply and
logs out when left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from appointments import selectors as booking_selectors
from appointments.converters import SlotStartConverter
from appointments.models import Appointment
from frontdesk import services
from frontdesk.models import Counter, Queue, Ticket
from messaging.models import Message
from tests.factories import (
    ConfirmedAppointmentFactory,
    OfferingFactory,
    desk_at_midday,
    staff_login,
)

pytestmark = pytest.mark.django_db
slot_url = SlotStartConverter().to_url


def _t(text: str, **values) -> str:
    with translation.override("it"):
        return translation.gettext(text) % values if values else translation.gettext(text)


@pytest.fixture
def desk(django_user_model):
    offering = OfferingFactory(desk__city__name="Perugia", desk__city__slug="perugia")
    operator = django_user_model.objects.create_user("op", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    offering.desk.staff.add(operator)
    counter = Counter.objects.create(desk=offering.desk, name="Room 1")
    counter.queues.set(Queue.objects.filter(desk=offering.desk))
    return offering, operator, counter


def test_calling_out_of_order_needs_the_permission_and_is_logged(client, desk):
    offering, operator, counter = desk
    queue = Queue.objects.get(desk=offering.desk)
    first, second = services.walk_in_issue(queue=queue), services.walk_in_issue(queue=queue)
    staff_login(client, operator)
    console = f"/desk/{offering.desk.pk}/"
    client.get(f"{console}?counter={counter.pk}")
    call_second = f"{console}tickets/{second.pk}/call/"
    assert (
        _t("Call %(ticket)s now", ticket=second.label) not in client.get(console).content.decode()
    )
    assert client.post(call_second, {"counter": counter.pk}).status_code == 403
    assert Ticket.objects.get(pk=second.pk).status == "waiting"

    operator.groups.add(Group.objects.get(name="Desk managers"))  # holds the permission
    operator = type(operator).objects.get(pk=operator.pk)  # permissions are cached per object
    staff_login(client, operator)
    page = client.get(console).content.decode()
    assert _t("Call %(ticket)s now", ticket=second.label) in page
    client.post(call_second, {"counter": counter.pk})
    assert Ticket.objects.get(pk=second.pk).status == "called"
    assert Ticket.objects.get(pk=first.pk).status == "waiting"
    entry = ModelLogEntry.objects.get(action="frontdesk.call_out_of_order")
    assert entry.user == operator and entry.data["passed_over"] == 1


def test_a_booking_is_moved_and_cancelled_for_a_person_on_the_phone(client, desk):
    offering, operator, _counter = desk
    start = booking_selectors.offering_slots(offering=offering)[-1].start  # a real slot
    booking = ConfirmedAppointmentFactory(
        offering=offering, start=start, end=start + timedelta(minutes=30), phone="+393471234567"
    )
    staff_login(client, operator)
    base = f"/desk/{offering.desk.pk}/"
    assert booking.code in client.post(base, {"q": "347 123 4567"}).content.decode()
    assert booking.code in client.post(base, {"q": "٣٤٧١٢٣٤٥٦٧"}).content.decode()
    assert booking.code not in client.post(base, {"q": "4567"}).content.decode()  # too few

    page = client.get(f"{base}bookings/{booking.pk}/").content.decode()
    assert "+393471234567" not in page and "+*********567" in page  # masked: the end is enough
    assert _t("Cancel this booking") in page
    new = next(
        slot.start
        for slot in booking_selectors.offering_slots(offering=offering)
        if slot.start != start
    )
    shown = {"from": booking.start.isoformat()}  # the time the operator's page showed
    moved = client.post(f"{base}bookings/{booking.pk}/move/{slot_url(new)}/", shown, follow=True)
    said = _t("Booking %(code)s moved to %(when)s.", code=booking.code, when="@")
    assert said.split("@")[0] in moved.content.decode()
    booking.refresh_from_db()
    assert booking.start == new and booking.status == "confirmed"
    assert Message.objects.filter(dedupe_key__startswith=f"appt:{booking.pk}:moved:").exists()

    # A second operator, whose page still showed the old time, does not move it again.
    stale = client.post(f"{base}bookings/{booking.pk}/move/{slot_url(start)}/", shown, follow=True)
    assert _t("This booking was changed meanwhile. Check it again.") in stale.content.decode()
    assert Appointment.objects.get(pk=booking.pk).start == new

    taken = ConfirmedAppointmentFactory(offering=offering, start=start)
    again = client.post(
        f"{base}bookings/{booking.pk}/move/{slot_url(taken.start)}/",
        {"from": new.isoformat()},
        follow=True,
    )
    assert _t("That time was just taken. Choose another one.") in again.content.decode()

    unconfirmed = client.post(f"{base}bookings/{booking.pk}/cancel/", follow=True)
    assert _t("Tick the box to confirm that the person asked to cancel.") in (
        unconfirmed.content.decode()
    )
    assert Appointment.objects.get(pk=booking.pk).status == "confirmed"
    client.post(f"{base}bookings/{booking.pk}/cancel/", {"confirm": "on"})
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", operator)
    assert Message.objects.filter(dedupe_key=f"appt:{booking.pk}:cancelled").exists()
    page = client.get(f"{base}bookings/{booking.pk}/").content.decode()
    assert _t("This booking can no longer be changed here.") in page
    refused = client.post(f"{base}bookings/{booking.pk}/cancel/", {"confirm": "on"}, follow=True)
    assert _t("This booking can no longer be cancelled.") in refused.content.decode()


def test_the_days_list_prints_todays_bookings_without_whole_numbers(client, desk):
    offering, operator, _counter = desk
    now = desk_at_midday(offering.desk)  # the desk's clock, far from its midnight
    start = now + timedelta(minutes=5)
    today = ConfirmedAppointmentFactory(
        offering=offering, start=start, end=start + timedelta(minutes=30), name="Amina"
    )
    later = ConfirmedAppointmentFactory(offering=offering, start=start + timedelta(days=2))
    staff_login(client, operator)
    page = client.get(f"/desk/{offering.desk.pk}/day/").content.decode()
    assert today.code in page and "Amina" in page and later.code not in page
    assert today.phone not in page and f"…{today.phone[-3:]}" in page
    for wrong in ("not a day", "1999-01-01", (now + timedelta(days=30)).date().isoformat()):
        fallback = client.get(f"/desk/{offering.desk.pk}/day/", {"day": wrong}).content.decode()
        assert today.code in fallback  # today's list instead
    later_day = client.get(
        f"/desk/{offering.desk.pk}/day/", {"day": later.start.astimezone(now.tzinfo).date()}
    ).content.decode()
    assert later.code in later_day and today.code not in later_day


def test_a_background_refresh_is_a_304_until_something_changes(
    client, desk, monkeypatch, django_capture_on_commit_callbacks
):
    # The desk's version moves when a write commits: the test runs those callbacks.
    commits = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
    offering, operator, counter = desk
    frozen = timezone.now()  # the console's waits are in minutes: no minute passes here
    monkeypatch.setattr("frontdesk.views.timezone.now", lambda: frozen)
    staff_login(client, operator)
    client.get(f"/desk/{offering.desk.pk}/?counter={counter.pk}")
    url = f"/desk/{offering.desk.pk}/"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.strip('"') in first.content.decode()  # the page knows its own ETag
    refresh = {"HTTP_SPORTELLO_REFRESH": "1", "HTTP_IF_NONE_MATCH": etag}
    assert client.get(url, **refresh).status_code == 304
    with commits():
        services.walk_in_issue(queue=Queue.objects.get(desk=offering.desk))
    changed = client.get(url, **refresh)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "A001" in changed.content.decode()
    etag = changed["ETag"]
    with commits():  # only the counter's current ticket changes
        ticket = services.call_next(counter=counter)
    refresh["HTTP_IF_NONE_MATCH"] = etag
    called = client.get(url, **refresh)
    assert called.status_code == 200 and called["ETag"] != etag
    with commits():
        services.recall(ticket=ticket)
    assert (
        client.get(url, HTTP_SPORTELLO_REFRESH="1", HTTP_IF_NONE_MATCH=called["ETag"]).status_code
        == 200
    )

    # A booking made for later today changes the console too.
    etag = client.get(url)["ETag"]
    local = timezone.localtime(frozen)
    start = min(local + timedelta(minutes=90), local.replace(hour=23, minute=0))
    ConfirmedAppointmentFactory(offering=offering, start=start)
    refresh["HTTP_IF_NONE_MATCH"] = etag
    assert client.get(url, **refresh).status_code == 200

    # A flash message is not used up by a background refresh: it waits for the next visit.
    client.post(f"/desk/{offering.desk.pk}/tickets/{ticket.pk}/start/")
    client.post(f"/desk/{offering.desk.pk}/tickets/{ticket.pk}/start/")  # refused: a message
    message = _t("This cannot be done with ticket %(ticket)s now.", ticket=ticket.label)
    assert message in client.get(url, HTTP_SPORTELLO_REFRESH="1").content.decode()
    assert message in client.get(url).content.decode()
    assert message not in client.get(url).content.decode()


def test_staff_idle_for_too_long_are_logged_out_and_background_refreshes_do_not_count(
    client, desk, settings, monkeypatch
):
    offering, operator, counter = desk
    operator.groups.add(Group.objects.get(name="Desk managers"))  # may edit the counter
    settings.SPORTELLO = {**settings.SPORTELLO, "STAFF_IDLE_MINUTES": 10}
    clock = [1_000_000.0]
    monkeypatch.setattr("core.middleware._now", lambda: clock[0])
    staff_login(client, operator)
    url = f"/desk/{offering.desk.pk}/"
    assert client.get(url)["Sportello-Idle-Left"] == "600"
    clock[0] += 400
    background = client.get(url, HTTP_SPORTELLO_REFRESH="1")
    assert background.status_code == 200 and background["Sportello-Idle-Left"] == "200"
    clock[0] += 150
    assert client.get(url)["Sportello-Idle-Left"] == "600"  # the operator did something
    clock[0] += 500
    assert client.get(url, HTTP_SPORTELLO_REFRESH="1")["Sportello-Idle-Left"] == "100"
    # An admin edit page left open pings Wagtail's editing sessions: not the person.
    ping = f"/admin/editing-sessions/ping/frontdesk/counter/{counter.pk}/1/"
    assert client.post(ping).status_code == 200
    assert client.get(url, HTTP_SPORTELLO_REFRESH="1")["Sportello-Idle-Left"] == "100"
    # ... unless the page has unsaved changes: then someone is writing.
    writing = client.post(ping, {"is_editing": "1"})
    assert writing.status_code == 200 and writing["Sportello-Idle-Left"] == "600"
    clock[0] += 500
    assert client.get(url, HTTP_SPORTELLO_REFRESH="1")["Sportello-Idle-Left"] == "100"
    clock[0] += 101
    gone = client.get(url, HTTP_SPORTELLO_REFRESH="1")
    assert gone.status_code == 302 and "/admin/login/" in gone["Location"]
    assert client.get(url).status_code == 302  # and stays logged out


def test_a_busy_desk_is_a_message_to_try_again_not_an_error(client, desk, monkeypatch):
    from core.locking import LockTimeout

    offering, operator, counter = desk

    def held(**kwargs):
        raise LockTimeout("call:1")

    monkeypatch.setattr(services, "call_next", held)
    staff_login(client, operator)
    response = client.post(
        f"/desk/{offering.desk.pk}/call-next/", {"counter": counter.pk}, follow=True
    )
    assert response.status_code == 200
    assert _t("The desk is busy. Please try again.") in response.content.decode()


def test_a_checked_in_booked_visitor_gets_no_turn_near_text(desk):
    offering, _operator, counter = desk
    now = desk_at_midday(offering.desk)  # the desk's clock, far from its midnight
    start = now + timedelta(minutes=5)
    booking = ConfirmedAppointmentFactory(
        offering=offering, start=start, end=start + timedelta(minutes=30), language="ar"
    )
    ticket = services.check_in(appointment=booking)
    assert ticket.phone == "" and ticket.language == "ar"
    queue = Queue.objects.get(desk=offering.desk)
    services.walk_in_issue(queue=queue)
    services.call_next(counter=counter, now=timezone.now() + timedelta(hours=1))
    assert not Message.objects.filter(kind="turn_near").exists()
