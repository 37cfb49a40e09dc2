"""An operator runs the queue in Chromium, on a tablet and on a phone, with axe on the console."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import translation
from playwright.sync_api import expect

from appointments.models import Appointment
from frontdesk.models import Counter, Queue, Ticket
from tests.browser.axe import assert_accessible
from tests.browser.login import browser_login
from tests.factories import ConfirmedAppointmentFactory, OfferingFactory, desk_at_midday

TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 360, "height": 740}


def _t(text: str) -> str:
    with translation.override("it"):
        return translation.gettext(text)


@pytest.fixture
def desk(site_url, django_user_model):
    legal = OfferingFactory(desk__name="Sportello Unico Perugia")
    OfferingFactory(desk=legal.desk)  # a second queue, B
    operator = django_user_model.objects.create_user("op", password="pw-op-1234")
    legal.desk.staff.add(operator)
    for name in ("Room 1", "Room 2"):
        Counter.objects.create(desk=legal.desk, name=name).queues.set(
            Queue.objects.filter(desk=legal.desk)
        )
    now = desk_at_midday(legal.desk)  # the desk's clock, far from its midnight
    start = now - timedelta(minutes=5)
    booking = ConfirmedAppointmentFactory(
        offering=legal, start=start, end=start + timedelta(minutes=30), code="KEPT42"
    )
    return legal.desk, booking


def _post(page, name: str) -> None:
    page.get_by_role("button", name=_t(name), exact=True).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_an_operator_checks_in_calls_marks_a_no_show_transfers_and_parks(
    page, site_url, desk, viewport
):
    desk, booking = desk
    page.set_viewport_size(viewport)
    browser_login(page, site_url, "op", "pw-op-1234")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sportello Unico Perugia")
    page.select_option("#counter", label="Room 1")
    _post(page, "Use this counter")
    assert_accessible(page)

    # The booked visitor arrives: found by code, checked in, called first.
    page.fill("#q", booking.code.lower())
    # Nothing wider than the screen: a tap lands where the person sees the button.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    _post(page, "Find")
    _post(page, "Check in")
    assert Appointment.objects.get(pk=booking.pk).status == "checked_in"
    page.select_option("#walkin-queue", index=0)
    _post(page, "Issue a ticket")
    _post(page, "Call next")
    expect(page.locator(".ticket-label")).to_have_text("A001")
    assert_accessible(page)
    for _ in range(2):
        _post(page, "Call again")
    _post(page, "Did not come")  # after three calls
    assert Appointment.objects.get(pk=booking.pk).status == "no_show"

    # The walk-in: called, started, sent to queue B, then called there and set aside.
    _post(page, "Call next")
    expect(page.locator(".ticket-label")).to_have_text("A002")
    _post(page, "Start")
    page.select_option("select[name=queue] >> nth=0", index=0)
    _post(page, "Transfer")
    _post(page, "Call next")
    expect(page.locator(".ticket-label")).to_have_text("B001")
    _post(page, "Set aside")
    expect(page.locator(".ticket-label")).to_have_count(0)
    parked = Ticket.objects.get(queue__letter="B")
    assert (
        parked.status == "parked"
        and parked.arrived_at == Ticket.objects.get(queue__letter="A", number=2).arrived_at
    )
    _post(page, "Back to the queue")
    assert Ticket.objects.get(pk=parked.pk).status == "waiting"
    assert_accessible(page)


def test_the_screen_shows_a_call_at_its_next_refresh(page, site_url, desk):
    from frontdesk import services

    desk, _booking = desk
    token = services.display_renew(desk=desk)
    queue = Queue.objects.filter(desk=desk).order_by("letter").first()
    counter = Counter.objects.get(desk=desk, name="Room 2")
    services.walk_in_issue(queue=queue)
    services.walk_in_issue(queue=queue)
    services.call_next(counter=counter)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.clock.install()
    page.goto(f"{site_url}/display/{token}/")
    expect(page.locator("#calls tr.latest td").first).to_have_text("A001")
    assert_accessible(page)
    services.finish(ticket=services.start(ticket=Ticket.objects.get(number=1)))
    services.call_next(counter=counter)
    page.clock.run_for(1100)  # the screen's next poll, without sleeping
    expect(page.locator("#calls tr.latest td").first).to_have_text("A002")
    expect(page.locator("#calls tr")).to_have_count(2)


def _login(page, site_url):
    browser_login(page, site_url, "op", "pw-op-1234")


def test_the_console_refreshes_itself_and_warns_before_logging_out(
    page, site_url, desk, monkeypatch
):
    """A walk-in issued at another counter appears without a reload; a note being typed is
    not swept away; an untouched console warns two minutes before its idle logout, and
    then logs out: its background refreshes never count as activity."""
    from frontdesk import services

    desk, _booking = desk
    skew = [0.0]  # the server's clock runs ahead with the page's fake one
    real = time.time
    monkeypatch.setattr("core.middleware._now", lambda: real() + skew[0])

    def wait(ms: int) -> None:
        skew[0] += ms / 1000
        page.clock.run_for(ms)

    def idle(minutes: float) -> None:
        """Time passes a minute at a time, each with a background refresh reaching the
        server (on the server's clock too)."""
        for _ in range(round(minutes)):
            with page.expect_response(lambda r: r.request.headers.get("sportello-refresh")):
                wait(60_000)

    page.set_viewport_size(TABLET)
    page.clock.install()
    _login(page, site_url)
    page.goto(f"{site_url}/desk/{desk.pk}/")
    expect(page.locator(".waiting li")).to_have_count(0)
    queue = Queue.objects.filter(desk=desk).order_by("letter").first()
    services.walk_in_issue(queue=queue)
    wait(10_500)  # the next background refresh, without sleeping
    expect(page.locator(".waiting li")).to_have_count(1)
    expect(page.locator(".waiting li").first).to_contain_text("A001")
    page.focus("#q")
    page.keyboard.type("KEP")
    services.walk_in_issue(queue=queue)
    wait(10_500)
    expect(page.locator("#q")).to_have_value("KEP")  # the part being typed in stays
    expect(page.locator(".waiting li")).to_have_count(2)  # the rest was refreshed

    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    idle(28)  # 28 minutes of background refreshes only
    wait(30_000)
    expect(warning).to_be_visible()
    expect(page.locator("#idle-left")).to_have_text(re.compile(r"^[01]:\d\d$"))
    assert_accessible(page)
    page.get_by_role("button", name=_t("Stay logged in")).click()
    page.wait_for_load_state()
    expect(page.locator("#idle-warning")).to_be_hidden()

    idle(30)  # left alone again, up to the limit
    wait(60_000)  # past it: the next refresh finds the session over, off to the login page
    expect(page).to_have_url(re.compile(r"/admin/login/"))


def test_an_operator_moves_a_booking_for_a_caller(page, site_url, desk):
    from appointments import selectors

    desk, booking = desk
    later = selectors.offering_slots(offering=booking.offering)[3].start
    booking.start, booking.end = later, later + timedelta(minutes=30)
    booking.save()
    page.set_viewport_size(PHONE)
    _login(page, site_url)
    page.goto(f"{site_url}/desk/{desk.pk}/")
    page.fill("#q", booking.code)
    _post(page, "Find")
    page.get_by_role("link", name=booking.code).click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".slot-list button").first.click()
    page.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.start != later and booking.status == "confirmed"
    expect(page.locator(".messages")).to_contain_text(booking.code)
