"""Staff accounts in Chromium on a phone: a new operator sets up their authenticator app in
Arabic, keeps their backup codes and reaches the console; at the desk, a person sees their
data after reading out an SMS code, and has it erased. axe on every page."""

from __future__ import annotations

import re
from base64 import b32decode

from django.utils import translation
from django_otp.oath import totp
from playwright.sync_api import expect

from appointments.models import Appointment
from tests.browser.axe import assert_accessible
from tests.browser.login import browser_login
from tests.factories import ConfirmedAppointmentFactory, OfferingFactory, last_sms_code


def _t(lang: str, text: str) -> str:
    with translation.override(lang):
        return translation.gettext(text)


def test_a_new_operator_sets_up_the_app_in_arabic_and_reaches_the_console(
    page, site_url, django_user_model
):
    offering = OfferingFactory(desk__name="Sportello Unico Perugia")
    from wagtail.users.models import UserProfile

    operator = django_user_model.objects.create_user("nuovo", password="pw-new-1234")
    offering.desk.staff.add(operator)
    profile = UserProfile.get_for_user(operator)  # the admin's language, as staff choose it
    profile.preferred_language = "ar"
    profile.save()
    page.goto(f"{site_url}/admin/login/?next=/desk/")
    page.fill("input[name=username]", "nuovo")
    page.fill("input[name=password]", "pw-new-1234")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/staff/2fa/setup/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".qr svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    secret = page.locator("code").first.inner_text().replace(" ", "")
    page.fill("input[name=code]", f"{totp(b32decode(secret + '=' * (-len(secret) % 8))):06d}")
    page.get_by_role("button", name=_t("ar", "Confirm")).click()
    page.wait_for_load_state()
    codes = page.locator(".codes code")
    expect(codes).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name=_t("ar", "I have kept them: continue")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sportello Unico Perugia")


def test_a_person_sees_their_data_then_has_it_erased(page, site_url, django_user_model):
    offering = OfferingFactory(desk__name="Sportello Unico Perugia")
    operator = django_user_model.objects.create_user("op", password="pw-op-1234")
    offering.desk.staff.add(operator)
    booking = ConfirmedAppointmentFactory(offering=offering, phone="+393471234567", name="Amal")
    browser_login(page, site_url, "op", "pw-op-1234")
    page.get_by_role("link", name=_t("it", "A person asks to see or erase their data")).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("input[name=phone]", "٣٤٧ ١٢٣ ٤٥٦٧")  # digits as the person says them
    page.select_option("select[name=language]", "ar")
    page.get_by_role("button", name=_t("it", "Send the code")).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("input[name=code]", last_sms_code(to="+393471234567"))
    page.get_by_role("button", name=_t("it", "Show their data")).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Amal")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=_t("it", "Erase all their data")).click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(
        _t("it", "Done: the person's data is erased.")
    )
    booking.refresh_from_db()
    assert (booking.phone, booking.name, booking.status) == ("", "", Appointment.Status.CANCELLED)
