"""A resident books, moves and cancels a visit on a phone-sized Chromium, with axe on every step."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from appointments.models import Appointment, WaitlistEntry
from tests.browser.axe import assert_accessible
from tests.factories import last_sms_code, sms_code_for


def _t(lang: str, text: str) -> str:
    with translation.override(lang):
        return translation.gettext(text)


def _sms_code() -> str:
    return last_sms_code()


@pytest.fixture
def site(site_url, city_page, offering):
    return site_url


def _book(page, site: str, lang: str, phone: str = "347 123 4567", axe: bool = True) -> str:
    """Books the first free time; axe (which itself needs JavaScript) runs on every step."""
    check = assert_accessible if axe else (lambda page: None)
    page.goto(f"{site}/{lang}/book/")
    check(page)
    page.get_by_role("link", name="Perugia").click()
    check(page)
    page.locator("ul.services a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t(lang, "Choose a day and time"))
    check(page)
    page.locator("ul.slots a").first.click()
    check(page)
    page.fill("input[name=phone]", phone)
    page.fill("input[name=name]", "Amal")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t(lang, "Check your phone"))
    check(page)
    page.fill("input[name=code]", _sms_code())
    page.get_by_role("button", name=_t(lang, "Confirm the booking")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t(lang, "Your booking is confirmed"))
    check(page)
    code = Appointment.objects.get(status="confirmed").code
    expect(page.locator(".code")).to_have_text(code)
    return page.url.split("?")[0]


@pytest.mark.parametrize(("lang", "direction"), [("it", "ltr"), ("ar", "rtl")])
def test_a_resident_books_a_visit_in_their_language(page, site, lang, direction):
    _book(page, site, lang)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    appointment = Appointment.objects.get()
    assert (appointment.language, appointment.phone, appointment.name) == (
        lang,
        "+393471234567",
        "Amal",
    )


def test_the_whole_flow_works_with_javascript_disabled(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    manage_url = _book(page, site, "ti", axe=False)
    assert "/ti/manage/" in manage_url
    context.close()


def test_move_then_cancel_from_the_manage_page(page, site):
    manage_url = _book(page, site, "it")
    before = Appointment.objects.get().start
    page.get_by_role("link", name=_t("it", "Move to another time")).click()
    assert_accessible(page)
    page.locator("ul.slots button").nth(3).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("it", "Your booking"))
    assert Appointment.objects.get().start != before
    page.get_by_role("link", name=_t("it", "Cancel the booking")).click()
    assert_accessible(page)
    assert Appointment.objects.get().status == "confirmed"  # the confirming page changed nothing
    page.get_by_role("button", name=_t("it", "Yes, cancel it")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("it", "This booking is cancelled"))
    assert page.url.startswith(manage_url)
    assert Appointment.objects.get().status == "cancelled"


def test_find_a_booking_with_phone_and_code(page, site):
    _book(page, site, "ar")
    code = Appointment.objects.get().code
    page.goto(f"{site}/ar/manage/")
    assert_accessible(page)
    page.fill("input[name=phone]", "+393471234567")
    page.fill("input[name=code]", "AAAAAA")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text(
        _t("ar", "We found no active booking with this phone number and code.")
    )
    assert_accessible(page)
    page.fill("input[name=code]", code)
    page.locator("form button[type=submit]").click()
    expect(page.locator(".code")).to_have_text(code)


def test_join_the_waiting_list_when_nothing_is_free(page, site_url, city_page):
    from datetime import time

    from appointments import selectors
    from appointments.services.booking import Person, appointment_book_on_behalf
    from tests.factories import OfferingFactory

    offering = OfferingFactory(
        desk__city=city_page.city,
        horizon_days=1,
        hours=[(d, time(9), time(9, 30)) for d in range(7)],
    )
    for slot in selectors.offering_slots(offering=offering):
        appointment_book_on_behalf(
            offering=offering,
            start=slot.start,
            person=Person(phone="", language="it"),
            booked_by=None,
        )
    page.goto(f"{site_url}/so/book/perugia/{offering.pk}/")
    assert_accessible(page)
    page.fill("input[name=phone]", "+393471234567")
    page.get_by_role("button", name=_t("so", "Tell me when a place is free")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("so", "Check your phone"))
    assert_accessible(page)
    entry = WaitlistEntry.objects.get()
    page.fill("input[name=code]", sms_code_for(entry.challenge_id))
    page.get_by_role("button", name=_t("so", "Tell me when a place is free")).click()
    expect(page.get_by_role("status")).to_have_text(
        _t("so", "You are on the waiting list. When a place becomes free we send you an SMS.")
    )
    assert_accessible(page)
    assert (WaitlistEntry.objects.get().language, WaitlistEntry.objects.get().status) == (
        "so",
        "waiting",
    )


def test_a_busy_connection_books_after_the_phone_solves_the_puzzle(page, site, settings):
    """Past the threshold, proof.js solves the puzzle before the form goes: the person only
    presses the button. The full-size puzzle of the settings is used."""
    from core.ratelimit import reserve

    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "PROOF": {**settings.SPORTELLO["PROOF"], "AFTER_CODES": 1},
    }
    reserve([("code-client", "127.0.0.1")])
    page.goto(f"{site}/ar/book/perugia/")
    page.locator("ul.services a").first.click()
    page.locator("ul.slots a").first.click()
    assert page.locator("input[name=proof_number]").count() == 1
    page.fill("input[name=phone]", "+393471234567")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("ar", "Check your phone"))
    assert Appointment.objects.get().status == "held"


def test_the_pages_that_say_no_are_accessible_too(page, site, offering, settings):
    """Over the per-service limit after the code, a cancelled booking, a number over its
    budget: each page is read by axe, in Arabic (right to left)."""
    from appointments import selectors
    from appointments.services.booking import Person, appointment_book_on_behalf

    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "RATE_LIMITS": {**settings.SPORTELLO["RATE_LIMITS"], "code-phone": "1/h"},
    }
    offering.desk.phone = "075 577 0000"
    offering.desk.save()
    slots = selectors.offering_slots(offering=offering)
    appointment_book_on_behalf(
        offering=offering,
        start=slots[0].start,
        person=Person(phone="+393471234567", language="ar"),
        booked_by=None,
    )
    page.goto(f"{site}/ar/book/perugia/{offering.pk}/")
    page.locator("ul.slots a").nth(2).click()
    page.fill("input[name=phone]", "٣٤٧ ١٢٣ ٤٥٦٧")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".ltr").first).to_have_text("+39 347 123 4567")
    assert_accessible(page)
    page.fill("input[name=code]", _sms_code())
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _t("ar", "You already have a booking")
    )
    assert_accessible(page)
    page.locator("ul.cards a").first.click()
    page.get_by_role("link", name=_t("ar", "Cancel the booking")).click()
    page.get_by_role("button", name=_t("ar", "Yes, cancel it")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("ar", "This booking is cancelled"))
    assert_accessible(page)
    page.goto(f"{site}/ar/book/perugia/{offering.pk}/")
    page.locator("ul.slots a").nth(4).click()
    page.fill("input[name=phone]", "+393471234567")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("ar", "Too many tries"))
    expect(page.locator("a[href^='tel:']")).to_have_text("075 577 0000")
    assert_accessible(page)
